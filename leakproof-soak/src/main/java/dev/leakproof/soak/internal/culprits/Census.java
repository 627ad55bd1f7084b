package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One probe's culprit search: a census of what the probe counts, taken at each observation, and the culprits the
 * censuses and the recorded evidence show. One implementation per kind of resource.
 *
 * <p>A census never throws out of {@link #observe}: when it cannot count (no {@code /proc}, the diagnostic
 * command refused), it stops counting and says why in {@link #note()}.
 */
interface Census {
    /** @return the probe whose growth it explains */
    String probe();

    /** @return what it needs the JFR recording to record */
    Set<Recorder.Need> needs();

    /** Counts what exists before the pass: what the growth is measured from. Runs after the recording started. */
    void baseline();

    /** Counts once more, at this measured-iteration count. */
    void observe(long iteration);

    /**
     * @param probeSlope the probe's measured growth per iteration, to compute shares (NaN when unknown)
     * @param evidence   what the recording saw
     * @param user       which frames are the user's
     * @return culprits, largest first
     */
    List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user);

    /** @return why it found no culprit or only part of the evidence ("" when nothing to say) */
    String note();

    /**
     * @return its trace of a JDK method, for a census that finds sites that way (mapped memory, descriptors), or
     *         null; the collector starts at most one, in the censuses' order
     */
    default MethodTrace trace() {
        return null;
    }

    /** @return share of the probe's growth, capped at 1, NaN when the probe's growth is unknown or not positive */
    static double share(double perIteration, double probeSlope) {
        return probeSlope > 0 && !Double.isNaN(probeSlope) ? Math.min(1.0, perIteration / probeSlope) : Double.NaN;
    }

    /** @return the JDK's buffer pool of that name ({@code direct}, {@code mapped}), if this JVM has one */
    static Optional<BufferPoolMXBean> bufferPool(String name) {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals(name)).findFirst();
    }
}
