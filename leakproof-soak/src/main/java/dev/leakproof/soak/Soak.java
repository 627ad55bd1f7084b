package dev.leakproof.soak;

import dev.leakproof.core.Culprit;
import dev.leakproof.core.LeakReport;
import dev.leakproof.core.Site;
import dev.leakproof.core.Tracking;
import dev.leakproof.core.TrackingLevel;
import dev.leakproof.soak.SoakResult.NativeCulprits;
import dev.leakproof.soak.SoakResult.ProbeResult;
import dev.leakproof.soak.SoakResult.Slope;
import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.NativeProfiler;
import dev.leakproof.soak.internal.Stats;
import dev.leakproof.soak.internal.Verdicts;
import dev.leakproof.soak.internal.culprits.CulpritCollector;
import dev.leakproof.soak.internal.culprits.UserCode;
import dev.leakproof.soak.internal.jfr.SoakSampleEvent;
import dev.leakproof.soak.internal.jfr.SoakVerdictEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs an operation many times, samples every kind of memory along the way, and decides with statistics
 * whether it leaks, by how much per iteration, and who allocated it: the 2015 post's method as a library.
 * {@snippet :
 * SoakResult r = Soak.run("tag-entries", SoakOptions.defaults().withIterations(20_000),
 *         SoakTarget.of(() -> tag.getEntries()));
 * if (r.verdict() == Verdict.LEAK) {
 *     System.out.println(SoakReports.text(r));
 * }
 * }
 *
 * <p>The method (details, reasoning and references in {@code docs/soak-method.md}): after warm-up, the
 * sampler calibrates itself (back-to-back samples with no work in between measure each probe's noise and
 * what sampling itself leaves behind); then {@code samples} samples are spread evenly over the measured
 * iterations, each after garbage collection has settled. Each probe's series is judged by the rules of its
 * kind (counts, bytes, steps, slowing growth) on the later part of the run. While a deciding probe is
 * undecided the run doubles itself, until every probe is decided or {@link SoakOptions#maxDuration()} is
 * spent. When a probe leaks, a short culprit pass names what grows: leakproof-core sites, classes on the
 * heap with who holds them, threads, descriptors, direct buffers and, with
 * {@link SoakOptions#nativeCulprits()}, native allocations never freed.
 */
public final class Soak {
    /**
     * Options for a JVM that will run soaks, so that the culprit pass finds where small leaked objects were made:
     * JFR samples one allocation per TLAB refill, and with small fixed TLABs (4 KB) a culprit pass that allocates
     * little still samples small leaked objects, kept in a larger queue. They take effect only when the JVM starts
     * ({@code ./leakproof soak --jvm-arg}, surefire's {@code argLine}). Not a default: allocation is slower (15% in a
     * loop that does nothing else), and fixed TLABs made {@code native-libs} noisier (a short fixed soak of an FFM
     * arena churn came out undecided in 3 of 12 runs, against 0 of 12 without them).
     */
    public static final List<String> CULPRIT_SAMPLING_JVM_OPTIONS =
            dev.leakproof.soak.internal.culprits.CulpritCollector.SAMPLING_JVM_OPTIONS;
    private static final int TOP_CULPRITS = 10;
    /** Native probes are read this many times per sample and the least kept (see readSettled). */
    private static final int NATIVE_READS_PER_SAMPLE = 3;
    /** Time between those reads: long enough for a compiler thread's transient arena to come and go. */
    private static final long NATIVE_READ_SPACING_NANOS = 250_000;
    /** Back-to-back samples with no work between them, measuring the instrument. */
    private static final int CALIBRATION_SAMPLES = 5;
    /** A self-extending run's first pass iterates at least this many times as long as it samples. */
    private static final int SAMPLING_SHARE = 4;
    /** A self-extending run's first pass is at most this many times the asked iterations. */
    private static final int MAX_FIRST_PASS_FACTOR = 4;
    /**
     * The first pass's bound, in times the asked iterations, when its first samples show nothing growing that a
     * longer pass would multiply ({@code Run#quiet}).
     */
    private static final int QUIET_FIRST_PASS_FACTOR = 16;
    /** What a count probe may have risen by in a quiet pass's first samples. */
    private static final int QUIET_COUNT_RISE = 2;
    /** What a quiet pass may project to add on any byte probe over its longer length: 64 MiB. */
    private static final double QUIET_PROJECTED_BYTES = 64.0 * 1024 * 1024;
    /** Observations of the culprit pass. */
    private static final int CULPRIT_OBSERVATIONS = 5;
    /** Samples of the first pass after which its length is planned again from what it measured. */
    private static final int REPLAN_AFTER = 4;

    private Soak() {
    }

    /**
     * Soaks with the built-in probes and no progress output.
     *
     * @param name    what is soaked, for reports
     * @param options how
     * @param target  what
     * @return the result
     * @throws SoakAbortedException if the target throws
     */
    public static SoakResult run(String name, SoakOptions options, SoakTarget target) {
        return run(name, options, target, Probe.builtIns(), ProgressListener.NONE);
    }

    /**
     * @param name     what is soaked, for reports
     * @param options  how
     * @param target   what
     * @param probes   what to sample
     * @param listener told about progress
     * @return the result
     * @throws NullPointerException if an argument is null
     * @throws SoakAbortedException if the target throws
     */
    public static SoakResult run(String name, SoakOptions options, SoakTarget target, List<Probe> probes,
                                 ProgressListener listener) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(listener, "listener");
        // the soak's level is its own: a scope on this thread, where the target runs (and its WorkQueue work)
        try (var _ = Tracking.levelScope(options.trackingLevel())) {
            return new Run(name, options, target, List.copyOf(probes), listener).execute();
        }
    }

    private static final class Run {
        final String name;
        final SoakOptions o;
        final SoakTarget target;
        final List<Probe> probes;
        final ProgressListener listener;
        final boolean[] usable;
        final String[] reasons;
        final double[] calibrationNoise;
        final double[] calibrationBias;
        /** Whether each probe has a calibration yet. */
        final boolean[] calibrated;
        final List<Map<SiteKind, long[]>> snapshots = new ArrayList<>();
        final List<SoakResult.Pass> passes = new ArrayList<>();
        final Map<String, String> culpritNotes = new HashMap<>();
        NativeProfiler profiler;
        long[] sampleIterations = new long[64];
        double[][] values;
        double[][] errorBounds;
        int taken;
        long done;
        long planned;
        long firstPass;
        /** Fixed seed: a run samples at the same places when repeated. */
        final java.util.SplittableRandom jitter = new java.util.SplittableRandom(0x1eac9f00fL);
        long runStart;
        /** Warm-up iterations run so far: where the operation threw, if it threw in warm-up. */
        long warmedUp;
        /** Where the run is, for the message when the operation throws. */
        Phase phase = Phase.SET_UP;

        enum Phase { SET_UP, WARM_UP, RUN, CULPRITS }
        long iterationNanos;
        long sampleNanos;
        int samplesTimed;

        record SiteKind(Site site, String kind) {
        }

        Run(String name, SoakOptions o, SoakTarget target, List<Probe> probes, ProgressListener listener) {
            this.name = name;
            this.o = o;
            this.target = target;
            this.probes = probes;
            this.listener = listener;
            this.values = new double[probes.size()][64];
            this.errorBounds = new double[probes.size()][64];
            this.usable = new boolean[probes.size()];
            this.reasons = new String[probes.size()];
            this.calibrationNoise = new double[probes.size()];
            this.calibrationBias = new double[probes.size()];
            this.calibrated = new boolean[probes.size()];
            for (int i = 0; i < probes.size(); i++) {
                Probe.Availability a = probes.get(i).availability();
                usable[i] = a.available();
                reasons[i] = a.reason();
            }
        }

        SoakResult execute() {
            Path workDir = null;
            boolean deleteWorkDir = false;
            NativeCulprits nativeStatus = new NativeCulprits("off", "not requested (--native-culprits)", null);
            long elapsed;
            Map<SiteKind, long[]> leakedBefore;
            List<Verdicts.Judgement> judged;
            List<SoakCulprit> passCulprits = List.of();
            List<SoakCulprit> mainGc;
            try {
                target.setUp();
                phase = Phase.WARM_UP;
                long warmNanos = warmUp();
                warmSampling();
                long calStart = System.nanoTime();
                boolean[] all = new boolean[probes.size()];
                Arrays.fill(all, true);
                calibrate(all);
                    firstPass = firstPass(warmNanos, (System.nanoTime() - calStart) / CALIBRATION_SAMPLES);
                if (o.nativeCulprits()) {
                    workDir = o.workDir() != null ? Files.createDirectories(o.workDir())
                            : Files.createTempDirectory("leakproof-soak");
                    deleteWorkDir = o.workDir() == null;
                    StringBuilder why = new StringBuilder();
                    profiler = NativeProfiler.start(workDir, why);
                    if (profiler == null) {
                        nativeStatus = new NativeCulprits("unavailable", why.toString(), null);
                    }
                }
                leakedBefore = index(Tracking.leaked());
                phase = Phase.RUN;
                runStart = System.nanoTime();
                if (o.duration() == null) {
                    judged = runCounted();
                } else {
                    runTimed();
                    judged = judgePass();
                    passes.add(new SoakResult.Pass(done, taken, undecided(judged)));
                }
                elapsed = System.nanoTime() - runStart;
                mainGc = gcCulprits(leakedBefore);
                if (o.culprits() && anyDecidingLeak(judged)) {
                    if (profiler != null) {
                        // one async-profiler session per JVM: the culprit pass starts its own
                        profiler.stop();
                    }
                    phase = Phase.CULPRITS;
                    passCulprits = culpritPass(judged);
                    if (profiler == null && passCulprits.stream().anyMatch(c -> c.source().equals("native"))) {
                        nativeStatus = new NativeCulprits("ok", "the culprit pass after the verdict profiled native "
                                + "allocations (async-profiler); the measured run was not profiled "
                                + "(--native-culprits profiles it too)", null);
                    }
                }
            } catch (SoakAbortedException e) {
                throw e;
            } catch (Exception | StackOverflowError e) {
                String when = switch (phase) {
                    case SET_UP -> "in setUp()";
                    case WARM_UP -> "in warm-up iteration " + (warmedUp + 1) + " of " + o.warmup();
                    case RUN -> "at iteration " + (done + 1);
                    case CULPRITS -> "at iteration " + (done + 1) + ", in the culprit pass after the verdict";
                };
                throw new SoakAbortedException("soak '" + name + "' stopped: the operation threw " + when
                        + " (" + e + ")", e);
            } finally {
                try {
                    target.tearDown();
                } catch (Exception e) {
                    System.getLogger("dev.leakproof.soak").log(System.Logger.Level.WARNING,
                            "tear-down of soak '" + name + "' threw", e);
                }
            }
            // the culprit pass's own findings first: where it recorded every creation, they are exact and win
            List<SoakCulprit> culprits = new ArrayList<>(passCulprits);
            culprits.addAll(notFoundBy(passCulprits, trackedCulprits(judged)));
            culprits.addAll(notFoundBy(passCulprits, mainGc));
            if (profiler != null) {
                try {
                    profiler.stop();
                    NativeProfiler.Findings f = profiler.findings("native-libs", done,
                            probeSlope(judged, "native-libs"), UserCode.of(target.userClass()), TOP_CULPRITS);
                    culprits.addAll(f.culprits());
                    nativeStatus = new NativeCulprits("ok", f.message(), deleteWorkDir ? null
                            : profiler.file().toString());
                } catch (IOException | RuntimeException e) {
                    nativeStatus = new NativeCulprits("unavailable", "reading async-profiler's recording failed: " + e,
                            null);
                }
            }
            if (deleteWorkDir) {
                deleteQuietly(workDir);
            }
            return result(Duration.ofNanos(elapsed), judged, rank(culprits), nativeStatus);
        }

        // ------------------------------------------------------------------ running

        /**
         * The first pass, then while a deciding probe is undecided and the budget allows, passes that double
         * the run, each adding half as many samples as the first (so the judged later half keeps its density).
         */
        private List<Verdicts.Judgement> runCounted() throws Exception {
            long n = firstPass;
            planned = n;
            int k = o.samples();
            sample();
            runTo(n, k - 1, true);
            List<Verdicts.Judgement> judged = judgePass();
            passes.add(new SoakResult.Pass(done, taken, undecided(judged)));
            while (o.autoExtend() && !anyDecidingLeak(judged) && !undecided(judged).isEmpty()) {
                long more = done;
                int extra = Math.max(4, k / 2);
                long spent = System.nanoTime() - runStart;
                long next = more * iterationNanos() + extra * sampleNanos();
                if (spent + next > o.maxDuration().toNanos()) {
                    break;
                }
                planned = done + more;
                runTo(planned, extra, false);
                judged = judgePass();
                passes.add(new SoakResult.Pass(done, taken, undecided(judged)));
            }
            listener.progress(done, done, 1.0, rate());
            return judged;
        }

        /**
         * Runs the warm-up and returns the cost of one iteration: the least per-iteration time of eight chunks of
         * its later half (the JIT is still at work early in warm-up, and a chunk can only be slowed by it, by GC,
         * or by other processes; the least is the closest to the compiled operation), 0 with too short a warm-up.
         */
        private long warmUp() throws Exception {
            long n = o.warmup();
            long half = n / 2;
            long chunk = Math.max(1, (n - half) / 8);
            long best = Long.MAX_VALUE;
            for (warmedUp = 0; warmedUp < half; warmedUp++) {
                target.iteration();
            }
            while (warmedUp < n) {
                long t0 = System.nanoTime();
                long end = Math.min(n, warmedUp + chunk);
                long count = end - warmedUp;
                for (; warmedUp < end; warmedUp++) {
                    target.iteration();
                }
                best = Math.min(best, (System.nanoTime() - t0) / count);
            }
            return best == Long.MAX_VALUE || n < 16 ? 0 : best;
        }

        /**
         * The first pass's length. A fixed run is what was asked. A self-extending run is at least the asked
         * iterations, and long enough that its iterations take {@value #SAMPLING_SHARE} times the time of its samples (one sample is a
         * settled GC and a few reads, tens of milliseconds; a cheap operation would otherwise spend most of the
         * run sampling), within half the time budget and at most {@value #MAX_FIRST_PASS_FACTOR} times the asked
         * iterations. Per-iteration costs come from the later half of warm-up and
         * the calibration samples.
         */
        private long firstPass(long iterationNanos, long sampleNanos) {
            return firstPass(iterationNanos, sampleNanos, MAX_FIRST_PASS_FACTOR);
        }

        private long firstPass(long iterationNanos, long sampleNanos, int factor) {
            long n = o.iterations();
            if (!o.autoExtend() || iterationNanos <= 0) {
                return n;
            }
            double wanted = SAMPLING_SHARE * o.samples() * sampleNanos / iterationNanos;
            double budget = o.maxDuration().toNanos() / 2.0 / iterationNanos;
            // at most `factor` × what was asked: a leak of threads or descriptors must not be multiplied without end
            return Math.max(n, (long) Math.min(Math.min(wanted, budget), (double) factor * n));
        }

        /**
         * Whether the pass so far (from sample {@code base}) shows nothing that a longer pass would multiply: no
         * count probe rose at all, and no byte probe grew at a rate that would add {@value #QUIET_PROJECTED_BYTES}
         * bytes over {@code iterations}. Then a cheap operation may run up to {@value #QUIET_FIRST_PASS_FACTOR}
         * times the asked iterations, so that its samples stop dominating the run.
         */
        private boolean quiet(int base, long fromIteration, long iterations) {
            if (base < 0 || taken <= base + 1 || done <= fromIteration) {
                return false;
            }
            for (int i = 0; i < probes.size(); i++) {
                if (!usable[i]) {
                    continue;
                }
                double rise = values[i][taken - 1] - values[i][base];
                if (Double.isNaN(rise)) {
                    return false;
                }
                // a count may wander by one or two (a resource in flight at one sample and not the next)
                if (probes.get(i).unit() == Probe.Unit.COUNT ? rise > QUIET_COUNT_RISE
                        : rise / (done - fromIteration) * iterations > QUIET_PROJECTED_BYTES) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Runs to {@code until} iterations, taking {@code samples} samples, the last at the end; with {@code replan},
         * after {@value #REPLAN_AFTER} samples the end moves out if the costs measured so far call for a longer
         * first pass (never in). Each sample but
         * the last is placed up to half a spacing early, at random: evenly spaced samples alias with anything
         * periodic in the operation (a buffer flushed every 1,024 iterations, sampled every 5,128, climbs 8
         * iterations of its cycle per sample and reads as steady growth).
         */
        private void runTo(long until, int samples, boolean replan) throws Exception {
            long from = done;
            int base = taken - 1;
            long lastReport = System.nanoTime();
            for (int s = 1; s <= samples; s++) {
                if (replan && s == REPLAN_AFTER + 1 && o.autoExtend()) {
                    // the warm-up's estimate of an iteration can be far off (a cheap operation is still being
                    // compiled in 2,000 iterations); the pass so far has measured both costs as they are
                    long better = firstPass(iterationNanos(), sampleNanos());
                    long longer = firstPass(iterationNanos(), sampleNanos(), QUIET_FIRST_PASS_FACTOR);
                    if (longer > better && quiet(base, from, longer)) {
                        better = longer;
                    }
                    if (better > until) {
                        until = better;
                        planned = until;
                        firstPass = until;
                    }
                }
                double at = s == samples ? s : s - 0.5 * jitter.nextDouble();
                long stop = Math.max(done, from + Math.round(at * (until - from) / samples));
                long t0 = System.nanoTime();
                long d0 = done;
                while (done < stop) {
                    target.iteration();
                    done++;
                    if ((done & 255) == 0) {
                        long now = System.nanoTime();
                        if (now - lastReport > 100_000_000L) {
                            lastReport = now;
                            listener.progress(done, planned, (double) done / planned, rate());
                        }
                    }
                }
                if (done > d0) {
                    iterationNanos += System.nanoTime() - t0;
                }
                sample();
            }
        }

        private void runTimed() throws Exception {
            long total = o.duration().toNanos();
            int k = o.samples();
            long lastReport = runStart;
            planned = -1;
            sample();
            for (int s = 1; s < k; s++) {
                long until = runStart + Math.round((double) s * total / (k - 1));
                long now;
                while ((now = System.nanoTime()) < until) {
                    for (int i = 0; i < 64; i++) {
                        target.iteration();
                    }
                    done += 64;
                    if (now - lastReport > 100_000_000L) {
                        lastReport = now;
                        listener.progress(done, -1, Math.min(1.0, (double) (now - runStart) / total), rate());
                    }
                }
                sample();
            }
            listener.progress(done, -1, 1.0, rate());
        }

        private double rate() {
            long ns = System.nanoTime() - runStart;
            return ns <= 0 ? 0 : done / (ns / 1e9);
        }

        private long iterationNanos() {
            return done == 0 ? 0 : iterationNanos / done;
        }

        private long sampleNanos() {
            return samplesTimed == 0 ? 0 : sampleNanos / samplesTimed;
        }

        // ------------------------------------------------------------------ sampling

        /**
         * Settles the JVM before a sample: garbage collected (twice, with reference processing and cleaners
         * in between). Where native-libs cannot be read (no NMT), the JIT is then given up to half a second to
         * go quiet, since a compilation in flight holds megabytes of native arena memory that native-malloc
         * would count; native-libs subtracts those arenas (NMT counts them), and waiting for a busy JIT was most
         * of a sample's cost (70 ms of 75 on tag-entries).
         */
        private void settle() {
            Tracking.settle();
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            if (!available("native-libs") && jit != null && jit.isCompilationTimeMonitoringSupported()) {
                long deadline = System.nanoTime() + 500_000_000L;
                long last = jit.getTotalCompilationTime();
                while (System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(4);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    long now = jit.getTotalCompilationTime();
                    if (now == last) {
                        return;
                    }
                    last = now;
                }
            }
        }

        /** Runs the sampling path a few times during warm-up, so that its own compilation is not measured. */
        private void warmSampling() {
            for (int w = 0; w < 3; w++) {
                settle();
                readAll(0);
                index(Tracking.snapshot());
            }
        }

        /**
         * Measures the instrument: {@value #CALIBRATION_SAMPLES} samples back to back with no iteration between
         * them. Their successive differences give each probe's noise (robust spread); their Theil–Sen slope what one
         * sample leaves behind in it. The samples are taken exactly as in the run (snapshots included),
         * then discarded.
         *
         * <p>Called again at the end of a pass where the calibration hides a leak ({@link #judgePass()}): five
         * samples can catch a transient (a JIT burst, a GC giving arenas back) that is not the instrument, so each
         * probe asked about keeps the quieter of its measurements (the smaller noise, the smaller residue). What
         * sampling really leaves behind shows in both.
         *
         * @param which the probes whose calibration is updated (all of them the first time)
         */
        private void calibrate(boolean[] which) {
            double[][] cal = new double[CALIBRATION_SAMPLES][];
            List<Map<SiteKind, long[]>> keep = new ArrayList<>();
            for (int c = 0; c < CALIBRATION_SAMPLES; c++) {
                settle();
                cal[c] = readAll(0);
                keep.add(index(Tracking.snapshot()));
            }
            double[] idx = new double[CALIBRATION_SAMPLES];
            for (int c = 0; c < CALIBRATION_SAMPLES; c++) {
                idx[c] = c;
            }
            for (int i = 0; i < probes.size(); i++) {
                double[] d = new double[CALIBRATION_SAMPLES - 1];
                double[] series = new double[CALIBRATION_SAMPLES];
                boolean ok = usable[i] && which[i];
                for (int c = 0; c < CALIBRATION_SAMPLES && ok; c++) {
                    series[c] = cal[c][i];
                    ok = !Double.isNaN(series[c]);
                    if (c > 0) {
                        d[c - 1] = series[c] - series[c - 1];
                    }
                }
                if (ok) {
                    // the Theil–Sen slope over the calibration samples: robust to one odd reading, and unlike the
                    // median difference it sees a residue that sampling leaves every other sample
                    double bias = Stats.theilSen(idx, series, 0.95).slope();
                    double noise = Verdicts.robustSpread(d) / Math.sqrt(2);
                    boolean first = !calibrated[i];
                    calibrationBias[i] = first || Math.abs(bias) < Math.abs(calibrationBias[i]) ? bias
                            : calibrationBias[i];
                    calibrationNoise[i] = first ? noise : Math.min(noise, calibrationNoise[i]);
                    calibrated[i] = true;
                }
            }
            keep.clear();
        }

        private void sample() {
            long t0 = System.nanoTime();
            settle();
            if (taken == sampleIterations.length) {
                sampleIterations = Arrays.copyOf(sampleIterations, taken * 2);
                for (int i = 0; i < values.length; i++) {
                    values[i] = Arrays.copyOf(values[i], taken * 2);
                    errorBounds[i] = Arrays.copyOf(errorBounds[i], taken * 2);
                }
            }
            int s = taken;
            sampleIterations[s] = done;
            double[] read = readAll(s + 1);
            for (int i = 0; i < probes.size(); i++) {
                values[i][s] = read[i];
                if (!usable[i]) {
                    continue;
                }
                Probe p = probes.get(i);
                errorBounds[i][s] = p.errorBound();
                SoakSampleEvent e = new SoakSampleEvent();
                if (e.shouldCommit()) {
                    e.soak = name;
                    e.probe = p.name();
                    e.unit = p.unit().name();
                    e.iteration = done;
                    e.value = values[i][s];
                    e.commit();
                }
            }
            snapshots.add(index(Tracking.snapshot()));
            if (profiler != null) {
                profiler.mark(done);
            }
            taken = s + 1;
            if (s > 0) {
                sampleNanos += System.nanoTime() - t0;
                samplesTimed++;
            }
            int lead = -1;
            double slope = Double.NaN;
            if (taken >= 4) {
                double best = -1;
                for (int i = 0; i < probes.size(); i++) {
                    if (!usable[i] || !deciding(i)) {
                        continue;
                    }
                    Stats.Fit f = fitJudged(i);
                    double score = f.slope() > 0 ? -Math.log(Math.max(f.pValue(), 1e-300)) : 0;
                    if (score > best) {
                        best = score;
                        lead = i;
                        slope = f.slope();
                    }
                }
            }
            listener.sampled(taken, expectedSamples(), lead >= 0 ? probes.get(lead).name() : "", slope);
        }

        private int expectedSamples() {
            return Math.max(taken, o.samples() + (passes.isEmpty() ? 0 : passes.size() * Math.max(4, o.samples() / 2)));
        }

        private Stats.Fit fitJudged(int probe) {
            double[] x = xs();
            int from = Verdicts.judgedFrom(x, o.analysisFraction());
            return Stats.theilSen(Arrays.copyOfRange(x, from, taken), Arrays.copyOfRange(values[probe], from, taken),
                    o.confidence());
        }

        /**
         * Every usable probe's value after settling, NaN for a probe whose reading failed (marked unusable with the
         * reason from then on). Heap, threads, descriptors and counters are exact after a full GC and read once.
         * Native probes are read in {@value #NATIVE_READS_PER_SAMPLE} rounds a quarter of a millisecond apart and the least
         * reading kept: JIT compiler threads and other background work allocate and free transiently while we
         * sample, which only ever adds to a reading, while a leak stays put.
         *
         * @param sample the sample's number, for the reason of a failure
         */
        private double[] readAll(int sample) {
            double[] v = new double[probes.size()];
            Arrays.fill(v, Double.NaN);
            for (int round = 0; round < NATIVE_READS_PER_SAMPLE; round++) {
                if (round > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(NATIVE_READ_SPACING_NANOS);
                }
                for (int i = 0; i < probes.size(); i++) {
                    Probe p = probes.get(i);
                    if (!usable[i] || round > 0 && !NATIVE_PROBES.contains(p.name())) {
                        continue;
                    }
                    try {
                        double r = p.read();
                        v[i] = round == 0 ? r : Math.min(v[i], r);
                    } catch (RuntimeException e) {
                        usable[i] = false;
                        reasons[i] = "reading failed at sample " + sample + ": " + e.getMessage();
                        v[i] = Double.NaN;
                    }
                }
            }
            return v;
        }

        private static final java.util.Set<String> NATIVE_PROBES = java.util.Set.of("native-malloc", "native-libs",
                "rss", "nmt");

        private double[] xs() {
            double[] x = new double[taken];
            for (int i = 0; i < taken; i++) {
                x[i] = sampleIterations[i];
            }
            return x;
        }

        // ------------------------------------------------------------------ judging

        private boolean deciding(int i) {
            Probe p = probes.get(i);
            if (p.name().equals("native-malloc")) {
                // native-malloc includes the JVM's own arenas; it decides only where native-libs cannot
                return !available("native-libs") && !o.informationalProbes().contains("native-libs");
            }
            return !o.informationalProbes().contains(p.name());
        }

        /**
         * The judgement at the end of a pass. A probe that a perfectly quiet instrument would call a leak while its
         * calibration keeps it from that may owe it to five samples that caught a transient: the instrument is
         * calibrated again for those probes ({@link #calibrate(boolean[])} keeps the quieter measurement) and the pass
         * judged with that. Never the other way: a calibration is not taken again to unsettle a verdict of no leak
         * (a fixed run of a clean operation would turn undecided), and no other probe's calibration changes.
         */
        private List<Verdicts.Judgement> judgePass() {
            List<Verdicts.Judgement> judged = judgeAll();
            double[] x = xs();
            boolean[] hidden = new boolean[probes.size()];
            boolean any = false;
            for (int i = 0; i < probes.size(); i++) {
                Verdicts.Judgement j = judged.get(i);
                hidden[i] = j != null && j.verdict() != Verdict.LEAK && judge(i, x, 0, 0).verdict() == Verdict.LEAK;
                any |= hidden[i];
            }
            if (!any) {
                return judged;
            }
            calibrate(hidden);
            return judgeAll();
        }

        private List<Verdicts.Judgement> judgeAll() {
            double[] x = xs();
            List<Verdicts.Judgement> out = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                out.add(!usable[i] || taken < 4 ? null : judge(i, x, calibrationNoise[i], calibrationBias[i]));
            }
            return out;
        }

        private Verdicts.Judgement judge(int i, double[] x, double noise, double bias) {
            Probe p = probes.get(i);
            return Verdicts.judge(new Verdicts.Series(p.unit() == Probe.Unit.COUNT, x,
                    Arrays.copyOf(values[i], taken), o.analysisFraction(), o.confidence(), noise, bias,
                    p.unit() == Probe.Unit.BYTES ? o.minLeakBytesPerIteration() : 0,
                    Arrays.copyOf(errorBounds[i], taken), NATIVE_PROBES.contains(p.name())
                    ? Verdicts.NATIVE_BACKGROUND_RISE : Verdicts.HEAP_BACKGROUND_RISE));
        }

        private boolean anyDecidingLeak(List<Verdicts.Judgement> judged) {
            for (int i = 0; i < judged.size(); i++) {
                if (judged.get(i) != null && deciding(i) && judged.get(i).verdict() == Verdict.LEAK) {
                    return true;
                }
            }
            return false;
        }

        private List<String> undecided(List<Verdicts.Judgement> judged) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < judged.size(); i++) {
                Verdicts.Judgement j = judged.get(i);
                if (deciding(i) && (j == null ? !usable[i] && false : j.verdict() == Verdict.INCONCLUSIVE)) {
                    out.add(probes.get(i).name() + ": " + j.note());
                }
            }
            return out;
        }

        private SoakResult result(Duration elapsed, List<Verdicts.Judgement> judged, List<SoakCulprit> culprits,
                                  NativeCulprits nativeStatus) {
            List<ProbeResult> results = new ArrayList<>();
            boolean anyLeak = false;
            boolean anyUnsure = false;
            long[] iters = Arrays.copyOf(sampleIterations, taken);
            for (int i = 0; i < probes.size(); i++) {
                Probe p = probes.get(i);
                double[] vals = Arrays.copyOf(values[i], taken);
                Verdicts.Judgement j = judged.get(i);
                boolean deciding = deciding(i);
                if (j == null) {
                    results.add(new ProbeResult(p.name(), p.unit(), p.description(), false,
                            usable[i] ? "too few samples" : reasons[i], deciding, iters, vals, 0, null, 0, 0,
                            Verdict.INCONCLUSIVE, SoakResult.Finding.UNAVAILABLE, usable[i] ? "too few samples"
                            : reasons[i], ""));
                    continue;
                }
                Stats.Fit f = j.fit();
                Slope slope = new Slope(j.slope(), j.finding() == SoakResult.Finding.GROWS_IN_STEPS ? j.slope()
                        : f.low(), j.finding() == SoakResult.Finding.GROWS_IN_STEPS ? j.slope() : f.high(),
                        o.confidence(), f.intercept(), f.pValue());
                if (deciding) {
                    anyLeak |= j.verdict() == Verdict.LEAK;
                    anyUnsure |= j.verdict() == Verdict.INCONCLUSIVE;
                }
                results.add(new ProbeResult(p.name(), p.unit(), p.description(), true, "", deciding, iters, vals,
                        j.judgedFrom(), slope, j.floor(), j.instrumentFloor(), j.verdict(), j.finding(), j.note(),
                        culpritNotes.getOrDefault(p.name(), "")));
                emitVerdict(p.name(), j.verdict(), slope);
            }
            Verdict overall = anyLeak ? Verdict.LEAK : anyUnsure ? Verdict.INCONCLUSIVE : Verdict.NO_LEAK;
            emitVerdict("overall", overall, null);
            String advice = "";
            if (overall == Verdict.INCONCLUSIVE) {
                StringBuilder a = new StringBuilder();
                for (String u : undecided(judged)) {
                    a.append(u).append('\n');
                }
                boolean budget = o.autoExtend() && o.duration() == null;
                a.append(budget ? String.format(java.util.Locale.ROOT, "Still undecided after %,d iterations, the most "
                                + "the time budget allowed (--max-duration %ds): give it more time, or set a floor "
                                + "with --min-leak.", done, o.maxDuration().toSeconds())
                        : String.format(java.util.Locale.ROOT, "Undecided after a fixed run of %,d iterations: leave "
                                + "out --iterations/--duration so the run extends itself, or run about %,d.", done,
                        done * 4));
                advice = a.toString().strip();
            }
            List<SoakCulprit> kept = culprits.size() > 3 * TOP_CULPRITS ? culprits.subList(0, 3 * TOP_CULPRITS)
                    : culprits;
            return new SoakResult(name, overall, done, elapsed, o, List.copyOf(results), List.copyOf(kept),
                    nativeStatus, advice, List.copyOf(passes));
        }

        /** native-malloc includes the JVM's own arenas; where native-libs can subtract them, it decides instead. */
        private boolean available(String probe) {
            for (int i = 0; i < probes.size(); i++) {
                if (probes.get(i).name().equals(probe)) {
                    return usable[i];
                }
            }
            return false;
        }

        // ------------------------------------------------------------------ culprits

        /**
         * Culprits ranked by probe (leaking probes' order), then by their share of the probe's growth. A stack found
         * both by the main run's profiler and by the culprit pass's (the same frames down to the user's) is listed
         * once, the first found.
         */
        private List<SoakCulprit> rank(List<SoakCulprit> culprits) {
            Map<List<Object>, SoakCulprit> unique = new java.util.LinkedHashMap<>();
            for (SoakCulprit c : culprits) {
                // up to the user's frame: below it, the main run's loop and the culprit pass's differ
                int user = c.userFrame().isEmpty() ? -1 : c.stack().indexOf(c.userFrame());
                unique.putIfAbsent(List.of(c.probe(), c.source(), c.kind(),
                        user < 0 ? c.stack() : c.stack().subList(0, user + 1)), c);
            }
            List<SoakCulprit> out = new ArrayList<>(unique.values());
            out.sort(java.util.Comparator.comparingInt((SoakCulprit c) -> probeIndex(c.probe()))
                    .thenComparing(java.util.Comparator.comparingDouble(
                            dev.leakproof.soak.internal.culprits.CulpritCollector::rankWeight).reversed()));
            return out;
        }

        private int probeIndex(String probe) {
            for (int i = 0; i < probes.size(); i++) {
                if (probes.get(i).name().equals(probe)) {
                    return i;
                }
            }
            return probes.size();
        }

        private static Map<SiteKind, long[]> index(LeakReport report) {
            Map<SiteKind, long[]> m = new HashMap<>();
            for (Culprit c : report.culprits()) {
                m.put(new SiteKind(c.site(), c.kind()), new long[] {c.count(), c.bytes()});
            }
            return m;
        }

        private double probeSlope(List<Verdicts.Judgement> judged, String probe) {
            for (int i = 0; i < probes.size(); i++) {
                if (probes.get(i).name().equals(probe) && judged.get(i) != null) {
                    return judged.get(i).slope();
                }
            }
            return Double.NaN;
        }

        /**
         * Sites whose live count grew through the judged part of the main run. At a level that records one
         * creation in N (COUNTED, SAMPLED) the counts of a site are a sample: they are multiplied by N, and a site
         * must still rise in at least two samples to be named; the culprit pass, at FULL, names slower ones.
         */
        private List<SoakCulprit> trackedCulprits(List<Verdicts.Judgement> judged) {
            double[] allX = xs();
            int from = Verdicts.judgedFrom(allX, o.analysisFraction());
            double scale = o.trackingLevel() == TrackingLevel.FULL ? 1 : Tracking.samplingInterval();
            return siteGrowth(Arrays.copyOfRange(allX, from, taken), snapshots.subList(from, taken), scale,
                    probeSlope(judged, "tracked"), scale == 1 ? "live at the end, created at this site"
                            : "live at the end, created at this site (sites sampled 1 in " + (long) scale
                            + "; counts scaled)");
        }

        private List<SoakCulprit> siteGrowth(double[] x, List<Map<SiteKind, long[]>> series, double scale,
                                             double trackedSlope, String note) {
            java.util.Set<SiteKind> keys = new java.util.HashSet<>();
            for (Map<SiteKind, long[]> snapshot : series) {
                keys.addAll(snapshot.keySet());
            }
            int n = series.size();
            List<SoakCulprit> out = new ArrayList<>();
            for (SiteKind key : keys) {
                double[] counts = new double[n];
                double[] bytes = new double[n];
                for (int s = 0; s < n; s++) {
                    long[] v = series.get(s).get(key);
                    counts[s] = v == null ? 0 : v[0] * scale;
                    bytes[s] = v == null ? 0 : v[1] * scale;
                }
                if (Verdicts.heldRise(counts, 0, n) < 2 * scale) {
                    continue;
                }
                Stats.Fit fc = Stats.theilSen(x, counts, o.confidence());
                if (fc.low() > 0 && fc.pValue() < 1 - o.confidence()) {
                    Stats.Fit fb = Stats.theilSen(x, bytes, o.confidence());
                    long[] last = series.get(n - 1).getOrDefault(key, new long[2]);
                    out.add(new SoakCulprit("tracked", "tracked", key.kind(), fc.slope(), fb.slope(),
                            share(fb.slope(), trackedSlope), Math.round(last[0] * scale),
                            Math.round(last[1] * scale), "", key.site().frames(), List.of(), note));
                }
            }
            return out;
        }

        /**
         * The tracked culprits of {@code main} that {@code pass} does not name again: the same kind created at the
         * same line (the frames below it differ, the pass being its own loop).
         */
        private static List<SoakCulprit> notFoundBy(List<SoakCulprit> pass, List<SoakCulprit> main) {
            java.util.Set<List<String>> seen = new java.util.HashSet<>();
            for (SoakCulprit c : pass) {
                if (c.probe().equals("tracked") && !c.stack().isEmpty()) {
                    seen.add(List.of(c.source(), c.kind(), c.stack().getFirst()));
                }
            }
            List<SoakCulprit> out = new ArrayList<>();
            for (SoakCulprit c : main) {
                if (c.stack().isEmpty() || !seen.contains(List.of(c.source(), c.kind(), c.stack().getFirst()))) {
                    out.add(c);
                }
            }
            return out;
        }

        private static double share(double part, double whole) {
            return whole > 0 && part > 0 ? Math.min(1, part / whole) : Double.NaN;
        }

        private List<SoakCulprit> gcCulprits(Map<SiteKind, long[]> before) {
            if (done == 0) {
                return List.of();
            }
            double scale = o.trackingLevel() == TrackingLevel.FULL ? 1 : Tracking.samplingInterval();
            return leakedSince(before, done, scale, scale == 1 ? "owner garbage-collected without releasing it"
                    : "owner garbage-collected without releasing it (sites sampled 1 in " + (long) scale
                    + "; counts scaled)");
        }

        /** Leaks found by GC since {@code before}, per iteration of {@code over}, counts multiplied by {@code scale}. */
        private List<SoakCulprit> leakedSince(Map<SiteKind, long[]> before, long over, double scale, String note) {
            List<SoakCulprit> out = new ArrayList<>();
            index(Tracking.leaked()).forEach((key, now) -> {
                long[] was = before.getOrDefault(key, new long[2]);
                double count = (now[0] - was[0]) * scale;
                double bytes = (now[1] - was[1]) * scale;
                if (count > 0 && over > 0) {
                    out.add(new SoakCulprit("tracked", "gc", key.kind(), count / over, bytes / over,
                            Double.NaN, Math.round(count), Math.round(bytes), "", key.site().frames(), List.of(),
                            note));
                }
            });
            return out;
        }

        /**
         * The culprit pass: a quarter more of the run (within the time budget) with the collectors of the leaking
         * probes on, observed {@value #CULPRIT_OBSERVATIONS} times after GC has settled. It runs after the
         * verdict, so it cannot change it, and only when a probe leaks, so a clean run pays nothing.
         */
        private List<SoakCulprit> culpritPass(List<Verdicts.Judgement> judged) throws Exception {
            java.util.Set<String> leaking = new java.util.LinkedHashSet<>();
            Map<String, Double> slopes = new HashMap<>();
            boolean steps = false;
            for (int i = 0; i < probes.size(); i++) {
                Verdicts.Judgement j = judged.get(i);
                if (j != null && j.verdict() == Verdict.LEAK) {
                    leaking.add(probes.get(i).name());
                    slopes.put(probes.get(i).name(), j.slope());
                    steps |= j.finding() == SoakResult.Finding.GROWS_IN_STEPS;
                }
            }
            long budgetLeft = o.maxDuration().toNanos() - (System.nanoTime() - runStart);
            long perIteration = Math.max(1, iterationNanos());
            // at least 500 iterations, or what fits in ten seconds for a slow operation (opening a database, say)
            long least = Math.max(CULPRIT_OBSERVATIONS * 10L, Math.min(500, 10_000_000_000L / perIteration));
            // growth in steps must step inside the pass to be seen: storage grown by half when full (a list's
            // array) steps again within half of what was added so far, storage that doubles (a StringBuilder's)
            // within all of it, so the pass is as long as the run so far
            long n = Math.max(least, Math.min(steps ? done : done / 4, Math.max(0, budgetLeft / 2) / perIteration));
            // tracked growth at a sampling level: record every creation for this pass, so slow sites are named too
            boolean recordAll = (leaking.contains("tracked") || leaking.contains("tracked-count"))
                    && o.trackingLevel() != TrackingLevel.FULL;
            // a scope inside the soak's own: FULL on this thread (and its WorkQueue work) for this pass only
            try (var _ = recordAll ? Tracking.levelScope(TrackingLevel.FULL) : null;
                 CulpritCollector collector = CulpritCollector.start(leaking, UserCode.of(target.userClass()))) {
                long start = done;
                double[] x = new double[CULPRIT_OBSERVATIONS];
                List<Map<SiteKind, long[]>> sites = new ArrayList<>();
                Map<SiteKind, long[]> leakedAtStart = recordAll ? index(Tracking.leaked()) : Map.of();
                settle();
                collector.observe(0);
                sites.add(index(Tracking.snapshot()));
                for (int s = 1; s <= CULPRIT_OBSERVATIONS - 1; s++) {
                    long stop = Math.round((double) s * n / (CULPRIT_OBSERVATIONS - 1));
                    while (done - start < stop) {
                        target.iteration();
                        done++;
                    }
                    settle();
                    collector.observe(done - start);
                    x[s] = done - start;
                    sites.add(index(Tracking.snapshot()));
                }
                List<SoakCulprit> found = new ArrayList<>();
                if (recordAll) {
                    found.addAll(siteGrowth(x, sites, 1, probeSlope(judged, "tracked"),
                            "live at the end of the culprit pass, created at this site (every creation recorded)"));
                    found.addAll(leakedSince(leakedAtStart, done - start, 1,
                            "owner garbage-collected without releasing it (culprit pass, every creation recorded)"));
                }
                found.addAll(collector.finish(slopes));
                culpritNotes.putAll(collector.notes());
                return found;
            }
        }

        private void emitVerdict(String probe, Verdict v, Slope slope) {
            SoakVerdictEvent e = new SoakVerdictEvent();
            if (e.shouldCommit()) {
                e.soak = name;
                e.probe = probe;
                e.verdict = v.name();
                e.slope = slope == null ? Double.NaN : slope.perIteration();
                e.low = slope == null ? Double.NaN : slope.low();
                e.high = slope == null ? Double.NaN : slope.high();
                e.iterations = done;
                e.commit();
            }
        }

        private static void deleteQuietly(Path dir) {
            if (dir == null) {
                return;
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
