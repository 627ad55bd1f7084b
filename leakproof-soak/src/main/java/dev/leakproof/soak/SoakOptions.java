package dev.leakproof.soak;

import dev.leakproof.core.TrackingLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a soak runs and judges. Immutable; start from {@link #defaults()}. The command line, the JUnit
 * extension and the Java API build this same record, and every default lives in {@link Defaults}.
 *
 * <p>By default a soak decides by itself how long to run: it starts with {@code iterations} and, while a
 * probe stays undecided, doubles the run until every probe is decided or {@code maxDuration} is spent
 * ({@link #withAutoExtend(boolean)}). {@link #withIterations(long)} asks for a fixed run instead.
 *
 * @param iterations              measured iterations of the first pass (of the whole run when not extending;
 *                                ignored when {@code duration} is set)
 * @param duration                run for this long instead of a count, or null
 * @param warmup                  iterations run before measuring (JIT, caches, pools)
 * @param samples                 samples spread over each pass, each after GC has settled
 * @param analysisFraction        the later part of the samples the slope is judged on (growth that stops
 *                                early — caches, JIT, pools filling — is not a leak)
 * @param confidence              confidence of the slope intervals, e.g. 0.95
 * @param minLeakBytesPerIteration the user's floor: byte growth below it is reported as "grows, below your
 *                                floor" and does not fail the run; 0 means the instrument's own resolution
 *                                is the only floor
 * @param autoExtend              extend the run while a probe is undecided
 * @param maxDuration             time budget of an extending run (measured iterations and sampling)
 * @param informationalProbes     probes charted and judged but not deciding the overall verdict
 * @param trackingLevel           leakproof-core level during the soak (FULL names every culprit's site)
 * @param culprits                name culprits of leaking probes (class histograms, paths from GC roots,
 *                                threads, descriptors) in a short second pass after the verdict
 * @param nativeCulprits          profile native allocations with async-profiler's nativemem mode
 * @param workDir                 where profiler output goes (null: a temporary directory, deleted after)
 */
public record SoakOptions(long iterations, Duration duration, long warmup, int samples, double analysisFraction,
                          double confidence, double minLeakBytesPerIteration, boolean autoExtend,
                          Duration maxDuration, Set<String> informationalProbes, TrackingLevel trackingLevel,
                          boolean culprits, boolean nativeCulprits, Path workDir) {

    /** Every default, one documented constant each. */
    public static final class Defaults {
        /** Measured iterations of the first pass: the 2015 post looped 50,000 times. */
        public static final long ITERATIONS = 50_000;
        /** First pass of a soak inside a test suite (the JUnit extension): shorter, and it still extends itself. */
        public static final long TEST_ITERATIONS = 20_000;
        /** Samples per pass inside a test suite. */
        public static final int TEST_SAMPLES = 20;
        /** Warm-up iterations, not measured. */
        public static final long WARMUP = 2_000;
        /** Samples per pass: 40 gives 20 points in the judged half, 190 pairwise slopes. */
        public static final int SAMPLES = 40;
        /** The later half of the samples is judged. */
        public static final double ANALYSIS_FRACTION = 0.5;
        /** 95% intervals. */
        public static final double CONFIDENCE = 0.95;
        /** No floor of the user's: the instrument's measured resolution decides what is too small to see. */
        public static final double MIN_LEAK_BYTES_PER_ITERATION = 0;
        /** Runs decide by themselves. */
        public static final boolean AUTO_EXTEND = true;
        /** Two minutes: the time the 2015 post watched its graph for. */
        public static final Duration MAX_DURATION = Duration.ofMinutes(2);
        /**
         * RSS and NMT's committed total include memory kept after it was freed (malloc arenas, code cache),
         * which grows in steps of its own; native-malloc includes the JVM's own arenas: charted, judged, not
         * deciding (native-libs decides for native memory). Metaspace also holds what the JIT learns about hot
         * methods, which creeps up for as long as new code turns hot (0.9 B/iteration on an empty operation, 3.2
         * B/iteration in a JVM started just before the soak): charted and searched, while {@code classes} decides
         * for class leaks.
         */
        public static final Set<String> INFORMATIONAL_PROBES = Set.of("rss", "nmt", "native-malloc", "metaspace");
        /**
         * Every creation counted exactly, one in N with its site: tracked totals are exact to judge by, at a
         * fraction of FULL's cost; when a tracked probe leaks, the culprit pass records every creation (FULL), so
         * slow sites are named too.
         */
        public static final TrackingLevel TRACKING_LEVEL = TrackingLevel.COUNTED;
        /** Culprits of leaking probes are named. */
        public static final boolean CULPRITS = true;
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
        Objects.requireNonNull(maxDuration, "maxDuration");
        informationalProbes = Set.copyOf(informationalProbes);
        if (duration == null && iterations < 10) {
            throw new IllegalArgumentException("iterations must be at least 10, got " + iterations);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, got " + maxDuration);
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
        if (!(minLeakBytesPerIteration >= 0) || Double.isInfinite(minLeakBytesPerIteration)) {
            throw new IllegalArgumentException("minLeakBytesPerIteration must be 0 or more bytes, got "
                    + minLeakBytesPerIteration);
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
                Defaults.AUTO_EXTEND, Defaults.MAX_DURATION, Defaults.INFORMATIONAL_PROBES, Defaults.TRACKING_LEVEL,
                Defaults.CULPRITS, Defaults.NATIVE_CULPRITS, null);
    }

    /** @param n measured iterations @return a copy running exactly {@code n} iterations (no extension, no duration) */
    public SoakOptions withIterations(long n) {
        return new SoakOptions(n, null, warmup, samples, analysisFraction, confidence, minLeakBytesPerIteration,
                false, maxDuration, informationalProbes, trackingLevel, culprits, nativeCulprits, workDir);
    }

    /**
     * @param n iterations of the first pass
     * @return a copy that starts with {@code n} iterations and extends itself while undecided
     */
    public SoakOptions withInitialIterations(long n) {
        return new SoakOptions(n, null, warmup, samples, analysisFraction, confidence, minLeakBytesPerIteration,
                true, maxDuration, informationalProbes, trackingLevel, culprits, nativeCulprits, workDir);
    }

    /** @param d how long to run @return a copy running for that long (no extension) */
    public SoakOptions withDuration(Duration d) {
        return new SoakOptions(iterations, Objects.requireNonNull(d, "duration"), warmup, samples, analysisFraction,
                confidence, minLeakBytesPerIteration, false, maxDuration, informationalProbes, trackingLevel,
                culprits, nativeCulprits, workDir);
    }

    /** @param on extend the run while a probe is undecided @return a copy */
    public SoakOptions withAutoExtend(boolean on) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, on, maxDuration, informationalProbes, trackingLevel, culprits,
                nativeCulprits, workDir);
    }

    /** @param d time budget of an extending run @return a copy */
    public SoakOptions withMaxDuration(Duration d) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, Objects.requireNonNull(d, "maxDuration"), informationalProbes,
                trackingLevel, culprits, nativeCulprits, workDir);
    }

    /** @param n warm-up iterations @return a copy */
    public SoakOptions withWarmup(long n) {
        return new SoakOptions(iterations, duration, n, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, maxDuration, informationalProbes, trackingLevel, culprits,
                nativeCulprits, workDir);
    }

    /** @param k samples per pass @return a copy */
    public SoakOptions withSamples(int k) {
        return new SoakOptions(iterations, duration, warmup, k, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, maxDuration, informationalProbes, trackingLevel, culprits,
                nativeCulprits, workDir);
    }

    /**
     * @param bytesPerIteration the user's floor: smaller byte growth is reported but does not fail the run (0: none)
     * @return a copy
     */
    public SoakOptions withMinLeak(double bytesPerIteration) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                bytesPerIteration, autoExtend, maxDuration, informationalProbes, trackingLevel, culprits,
                nativeCulprits, workDir);
    }

    /** @param on name the culprits of leaking probes @return a copy */
    public SoakOptions withCulprits(boolean on) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, maxDuration, informationalProbes, trackingLevel, on,
                nativeCulprits, workDir);
    }

    /** @param on profile native allocations @return a copy */
    public SoakOptions withNativeCulprits(boolean on) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, maxDuration, informationalProbes, trackingLevel, culprits, on,
                workDir);
    }

    /** @param level tracking level during the soak @return a copy */
    public SoakOptions withTrackingLevel(TrackingLevel level) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, maxDuration, informationalProbes, level, culprits,
                nativeCulprits, workDir);
    }

    /** @param dir where profiler output goes @return a copy */
    public SoakOptions withWorkDir(Path dir) {
        return new SoakOptions(iterations, duration, warmup, samples, analysisFraction, confidence,
                minLeakBytesPerIteration, autoExtend, maxDuration, informationalProbes, trackingLevel, culprits,
                nativeCulprits, dir);
    }
}
