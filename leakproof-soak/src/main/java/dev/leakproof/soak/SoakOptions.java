package dev.leakproof.soak;

import dev.leakproof.core.TrackingLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a soak runs and judges. Immutable; start from {@link #defaults()}. The command line builds the
 * same record from its flags.
 *
 * @param iterations              measured iterations (ignored when {@code duration} is set)
 * @param duration                run for this long instead of a count, or null
 * @param warmup                  iterations run before measuring (JIT, caches, pools)
 * @param samples                 samples spread over the measured run, each after GC has settled
 * @param analysisFraction        the later part of the samples the verdict is judged on (growth that stops
 *                                early — caches, JIT, pools filling — is not a leak)
 * @param confidence              confidence of the slope intervals, e.g. 0.95
 * @param minLeakBytesPerIteration smallest growth, in bytes per iteration, that counts as a leak
 * @param minLeakCountPerIteration smallest growth, in objects per iteration, that counts as a leak
 * @param informationalProbes     probes charted and judged but not deciding the overall verdict
 * @param trackingLevel           leakproof-core level during the soak (FULL names every culprit's site)
 * @param nativeCulprits          profile native allocations with async-profiler's nativemem mode
 * @param workDir                 where profiler output goes (null: a temporary directory, deleted after)
 */
public record SoakOptions(long iterations, Duration duration, long warmup, int samples, double analysisFraction,
                          double confidence, double minLeakBytesPerIteration, double minLeakCountPerIteration,
                          Set<String> informationalProbes, TrackingLevel trackingLevel, boolean nativeCulprits,
                          Path workDir) {

    /** Every default, one documented constant each. */
    public static final class Defaults {
        /** Measured iterations: the 2015 post looped 50,000 times. */
        public static final long ITERATIONS = 50_000;
        /** Warm-up iterations, not measured. */
        public static final long WARMUP = 2_000;
        /** Samples: 40 gives 20 points in the judged half, 190 pairwise slopes. */
        public static final int SAMPLES = 40;
        /** The later half of the samples is judged. */
        public static final double ANALYSIS_FRACTION = 0.5;
        /** 95% intervals. */
        public static final double CONFIDENCE = 0.95;
        /** Growth below 16 bytes per iteration is not called a leak (16 MB over a million iterations). */
        public static final double MIN_LEAK_BYTES_PER_ITERATION = 16;
        /** One object per 100 iterations. */
        public static final double MIN_LEAK_COUNT_PER_ITERATION = 0.01;
        /**
         * RSS and NMT's committed total include memory kept after it was freed (malloc arenas, code cache),
         * which grows in steps of its own: charted, judged, not deciding.
         */
        public static final Set<String> INFORMATIONAL_PROBES = Set.of("rss", "nmt");
        /** Every creation records its site, so every culprit has one. */
        public static final TrackingLevel TRACKING_LEVEL = TrackingLevel.FULL;
        /** Native culprits need async-profiler; off unless asked. */
        public static final boolean NATIVE_CULPRITS = false;

        private Defaults() {
        }
    }

    /**
     * @throws NullPointerException     if a required argument is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public SoakOptions {
        Objects.requireNonNull(informationalProbes, "informationalProbes");
        Objects.requireNonNull(trackingLevel, "trackingLevel");
        informationalProbes = Set.copyOf(informationalProbes);
        if (duration == null && iterations < 10) {
            throw new IllegalArgumentException("iterations must be at least 10, got " + iterations);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must not be negative, got " + warmup);
        }
        if (samples < 8) {
            throw new IllegalArgumentException("samples must be at least 8 (the judged part needs 4 or more), got "
                    + samples);
        }
        if (!(analysisFraction > 0 && analysisFraction <= 1) || samples * analysisFraction < 4) {
            throw new IllegalArgumentException("analysisFraction must be in (0, 1] and leave at least 4 samples, got "
                    + analysisFraction + " of " + samples);
        }
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0.5, 1), got " + confidence);
        }
        if (!(minLeakBytesPerIteration > 0) || !(minLeakCountPerIteration > 0)) {
            throw new IllegalArgumentException("leak thresholds must be positive");
        }
        if (duration == null && iterations < samples) {
            throw new IllegalArgumentException("iterations (" + iterations + ") must be at least samples (" + samples
                    + ")");
        }
    }

    /** @return options with every default */
    public static SoakOptions defaults() {
        return new SoakOptions(Defaults.ITERATIONS, null, Defaults.WARMUP, Defaults.SAMPLES,
                Defaults.ANALYSIS_FRACTION, Defaults.CONFIDENCE, Defaults.MIN_LEAK_BYTES_PER_ITERATION,
                Defaults.MIN_LEAK_COUNT_PER_ITERATION, Defaults.INFORMATIONAL_PROBES, Defaults.TRACKING_LEVEL,
                Defaults.NATIVE_CULPRITS, null);
    }

    /** @param n measured iterations @return a copy counting iterations (duration cleared) */
    public SoakOptions withIterations(long n) {
        return new SoakOptions(n, null, warmup, samples, analysisFraction, confidence, minLeakBytesPerIteration,
                minLeakCountPerIteration, informationalProbes, trackingLevel, nativeCulprits, workDir);
    }

    /** @param d how long to run @return a copy running for that long */
    public SoakOptions withDuration(Duration d) {
        return new SoakOptions(iterations, Objects.requireNonNull(d, "duration"), warmup, samples, analysisFraction,
                confidence, minLeakBytesPerIteration, minLeakCountPerIteration, informationalProbes, trackingLevel,
                nativeCulprits, workDir);
    }

    /** @param n warm-up iterations @return a copy */
    public SoakOptions withWarmup(long n) {
        return new SoakOptions(iterations, duration, n, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, minLeakCountPerIteration, informationalProbes, trackingLevel,
                nativeCulprits, workDir);
    }

    /** @param k samples @return a copy */
    public SoakOptions withSamples(int k) {
        return new SoakOptions(iterations, duration, warmup, k, analysisFraction, confidence,
                minLeakBytesPerIteration, minLeakCountPerIteration, informationalProbes, trackingLevel,
                nativeCulprits, workDir);
    }

    /** @param bytes smallest leak in bytes per iteration @param count in objects per iteration @return a copy */
    public SoakOptions withThresholds(double bytes, double count) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence, bytes, count,
                informationalProbes, trackingLevel, nativeCulprits, workDir);
    }

    /** @param on profile native allocations @return a copy */
    public SoakOptions withNativeCulprits(boolean on) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, minLeakCountPerIteration, informationalProbes, trackingLevel, on, workDir);
    }

    /** @param level tracking level during the soak @return a copy */
    public SoakOptions withTrackingLevel(TrackingLevel level) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, minLeakCountPerIteration, informationalProbes, level, nativeCulprits, workDir);
    }

    /** @param dir where profiler output goes @return a copy */
    public SoakOptions withWorkDir(Path dir) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, minLeakCountPerIteration, informationalProbes, trackingLevel, nativeCulprits,
                dir);
    }
}
