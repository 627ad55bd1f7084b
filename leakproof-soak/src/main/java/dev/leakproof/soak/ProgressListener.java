package dev.leakproof.soak;

/**
 * Told about a soak as it runs, on the soaking thread (keep it quick). The command line draws its
 * progress bar with one.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /**
     * Called about ten times a second while iterating, and after each sample.
     *
     * @param done     iterations done (warm-up excluded)
     * @param total    iterations planned, or -1 when the soak runs for a duration
     * @param fraction how far the run is, 0 to 1 (time-based for a duration)
     * @param rate     iterations per second so far
     */
    default void progress(long done, long total, double fraction, double rate) {
    }

    /**
     * Called after each sample with the running estimate of the leading probe.
     *
     * @param sample  1-based sample number
     * @param samples samples planned
     * @param probe   the probe whose estimate is given
     * @param slope   its slope so far, units per iteration (NaN before 3 samples)
     */
    default void sampled(int sample, int samples, String probe, double slope) {
    }
}
