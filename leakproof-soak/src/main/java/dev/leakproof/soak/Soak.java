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
 * <p>The method (details and references in {@code docs/soak-method.md}): after warm-up, {@code samples}
 * samples are spread evenly over the measured iterations; before each, garbage collection is settled
 * (collect, wait for reference processing and cleaners, collect again). For each probe the later
 * {@code analysisFraction} of the samples is fitted with Theil–Sen; the probe leaks when the slope's
 * whole confidence interval lies above the threshold and the Mann–Kendall test finds a trend, does not
 * leak when the whole interval lies below the threshold, and is inconclusive otherwise. Culprits are
 * leakproof-core sites whose live count grows with the iterations (found by comparing snapshots, which
 * catches leaks still reachable), resources whose owner was collected unreleased, and, with
 * {@link SoakOptions#nativeCulprits()}, native allocations never freed.
 */
public final class Soak {
    private static final int TOP_CULPRITS = 10;
    private static final int READS_PER_SAMPLE = 3;

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
        TrackingLevel before = Tracking.level();
        Tracking.setLevel(options.trackingLevel());
        try {
            return new Run(name, options, target, List.copyOf(probes), listener).execute();
        } finally {
            Tracking.setLevel(before);
        }
    }

    private static final class Run {
        final String name;
        final SoakOptions o;
        final SoakTarget target;
        final List<Probe> probes;
        final ProgressListener listener;
        final int k;
        final long[] sampleIterations;
        final double[][] values;
        final boolean[] usable;
        final String[] reasons;
        final List<Map<SiteKind, long[]>> snapshots = new ArrayList<>();
        int taken;
        long done;

        record SiteKind(Site site, String kind) {
        }

        Run(String name, SoakOptions o, SoakTarget target, List<Probe> probes, ProgressListener listener) {
            this.name = name;
            this.o = o;
            this.target = target;
            this.probes = probes;
            this.listener = listener;
            this.k = o.samples();
            this.sampleIterations = new long[k];
            this.values = new double[probes.size()][k];
            this.usable = new boolean[probes.size()];
            this.reasons = new String[probes.size()];
            for (int i = 0; i < probes.size(); i++) {
                Probe.Availability a = probes.get(i).availability();
                usable[i] = a.available();
                reasons[i] = a.reason();
            }
        }

        SoakResult execute() {
            Path workDir = null;
            boolean deleteWorkDir = false;
            NativeProfiler profiler = null;
            NativeCulprits nativeStatus = new NativeCulprits("off", "not requested (--native-culprits)", null);
            long start;
            long elapsed;
            Map<SiteKind, long[]> leakedBefore;
            try {
                target.setUp();
                for (long i = 0; i < o.warmup(); i++) {
                    target.iteration();
                }
                warmSampling();
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
                start = System.nanoTime();
                if (o.duration() == null) {
                    runCounted(start);
                } else {
                    runTimed(start);
                }
                elapsed = System.nanoTime() - start;
            } catch (SoakAbortedException e) {
                throw e;
            } catch (Exception e) {
                throw new SoakAbortedException("soak '" + name + "' stopped: the operation threw at iteration " + done
                        + " (" + e + ")", e);
            } finally {
                try {
                    target.tearDown();
                } catch (Exception e) {
                    System.getLogger("dev.leakproof.soak").log(System.Logger.Level.WARNING,
                            "tear-down of soak '" + name + "' threw", e);
                }
            }
            List<SoakCulprit> culprits = new ArrayList<>(trackedCulprits());
            culprits.addAll(gcCulprits(leakedBefore));
            if (profiler != null) {
                try {
                    profiler.stop();
                    List<SoakCulprit> nat = profiler.survivors(done, TOP_CULPRITS, o.minLeakCountPerIteration());
                    culprits.addAll(nat);
                    nativeStatus = new NativeCulprits("ok", nat.size() + " native allocation stacks with memory still "
                            + "allocated at the end", deleteWorkDir ? null : profiler.file().toString());
                } catch (IOException | RuntimeException e) {
                    nativeStatus = new NativeCulprits("unavailable", "reading async-profiler's recording failed: " + e,
                            null);
                }
            }
            if (deleteWorkDir) {
                deleteQuietly(workDir);
            }
            culprits.sort((a, b) -> Double.compare(b.bytesPerIteration() != 0 ? b.bytesPerIteration() : b.perIteration(),
                    a.bytesPerIteration() != 0 ? a.bytesPerIteration() : a.perIteration()));
            return judge(Duration.ofNanos(elapsed), culprits, nativeStatus);
        }

        private void runCounted(long start) throws Exception {
            long n = o.iterations();
            long lastReport = start;
            sample(0);
            for (int s = 1; s < k; s++) {
                long until = Math.round((double) s * n / (k - 1));
                while (done < until) {
                    target.iteration();
                    done++;
                    if ((done & 255) == 0) {
                        long now = System.nanoTime();
                        if (now - lastReport > 100_000_000L) {
                            lastReport = now;
                            listener.progress(done, n, (double) done / n, done / ((now - start) / 1e9));
                        }
                    }
                }
                sample(s);
            }
            listener.progress(done, n, 1.0, done / ((System.nanoTime() - start) / 1e9));
        }

        private void runTimed(long start) throws Exception {
            long total = o.duration().toNanos();
            long lastReport = start;
            sample(0);
            for (int s = 1; s < k; s++) {
                long until = start + Math.round((double) s * total / (k - 1));
                long now;
                while ((now = System.nanoTime()) < until) {
                    for (int i = 0; i < 64; i++) {
                        target.iteration();
                    }
                    done += 64;
                    if (now - lastReport > 100_000_000L) {
                        lastReport = now;
                        listener.progress(done, -1, Math.min(1.0, (double) (now - start) / total),
                                done / ((now - start) / 1e9));
                    }
                }
                sample(s);
            }
            listener.progress(done, -1, 1.0, done / ((System.nanoTime() - start) / 1e9));
        }

        /**
         * Settles the JVM before a sample: garbage collected (twice, with reference processing and cleaners
         * in between), then the JIT given a moment to go quiet, since a compilation in flight holds
         * megabytes of native arena memory that a native probe would otherwise count.
         */
        private static void settle() {
            Tracking.settle();
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
                long deadline = System.nanoTime() + 500_000_000L;
                long last = jit.getTotalCompilationTime();
                while (System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(10);
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
                for (int i = 0; i < probes.size(); i++) {
                    if (usable[i]) {
                        try {
                            probes.get(i).read();
                        } catch (RuntimeException ignored) {
                            // judged again at the first real sample
                        }
                    }
                }
                index(Tracking.snapshot());
            }
        }

        private void sample(int s) {
            settle();
            sampleIterations[s] = done;
            for (int i = 0; i < probes.size(); i++) {
                if (!usable[i]) {
                    values[i][s] = Double.NaN;
                    continue;
                }
                Probe p = probes.get(i);
                try {
                    values[i][s] = readSettled(p);
                } catch (RuntimeException e) {
                    usable[i] = false;
                    reasons[i] = "reading failed at sample " + (s + 1) + ": " + e.getMessage();
                    values[i][s] = Double.NaN;
                    continue;
                }
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
            taken = s + 1;
            int lead = leadProbe();
            double slope = Double.NaN;
            if (lead >= 0 && taken >= 3) {
                int from = judgedFrom(taken);
                slope = Stats.theilSen(xs(from, taken), Arrays.copyOfRange(values[lead], from, taken), o.confidence())
                        .slope();
            }
            listener.sampled(taken, k, lead >= 0 ? probes.get(lead).name() : "", slope);
        }

        /**
         * The smallest of a few reads a moment apart: JIT compiler threads and other background work allocate
         * and free transiently while we sample, which only ever adds to a reading, while a leak stays put.
         */
        private static double readSettled(Probe p) {
            double v = p.read();
            for (int r = 1; r < READS_PER_SAMPLE; r++) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                v = Math.min(v, p.read());
            }
            return v;
        }

        /** The running estimate shown while soaking: the first deciding byte probe that works. */
        private int leadProbe() {
            for (String preferred : List.of("native-libs", "native-malloc", "heap", "tracked")) {
                for (int i = 0; i < probes.size(); i++) {
                    if (usable[i] && probes.get(i).name().equals(preferred)) {
                        return i;
                    }
                }
            }
            return usable.length > 0 && usable[0] ? 0 : -1;
        }

        private int judgedFrom(int n) {
            return Math.max(0, n - (int) Math.max(Math.min(n, 3), Math.round(n * o.analysisFraction())));
        }

        private double[] xs(int from, int to) {
            double[] x = new double[to - from];
            for (int i = from; i < to; i++) {
                x[i - from] = sampleIterations[i];
            }
            return x;
        }

        private static Map<SiteKind, long[]> index(LeakReport report) {
            Map<SiteKind, long[]> m = new HashMap<>();
            for (Culprit c : report.culprits()) {
                m.put(new SiteKind(c.site(), c.kind()), new long[] {c.count(), c.bytes()});
            }
            return m;
        }

        private List<SoakCulprit> trackedCulprits() {
            int from = judgedFrom(taken);
            double[] x = xs(from, taken);
            java.util.Set<SiteKind> keys = new java.util.HashSet<>();
            for (int s = from; s < taken; s++) {
                keys.addAll(snapshots.get(s).keySet());
            }
            List<SoakCulprit> out = new ArrayList<>();
            for (SiteKind key : keys) {
                double[] counts = new double[taken - from];
                double[] bytes = new double[taken - from];
                for (int s = from; s < taken; s++) {
                    long[] v = snapshots.get(s).get(key);
                    counts[s - from] = v == null ? 0 : v[0];
                    bytes[s - from] = v == null ? 0 : v[1];
                }
                if (counts[counts.length - 1] <= counts[0]) {
                    continue;
                }
                Stats.Fit fc = Stats.theilSen(x, counts, o.confidence());
                if (fc.low() > 0 && fc.slope() >= o.minLeakCountPerIteration() && fc.pValue() < 1 - o.confidence()) {
                    Stats.Fit fb = Stats.theilSen(x, bytes, o.confidence());
                    long[] last = snapshots.get(taken - 1).getOrDefault(key, new long[2]);
                    out.add(new SoakCulprit("tracked", key.kind(), key.site().frames(), fc.slope(), fb.slope(),
                            last[0], last[1]));
                }
            }
            return out;
        }

        private List<SoakCulprit> gcCulprits(Map<SiteKind, long[]> before) {
            List<SoakCulprit> out = new ArrayList<>();
            if (done == 0) {
                return out;
            }
            index(Tracking.leaked()).forEach((key, now) -> {
                long[] was = before.getOrDefault(key, new long[2]);
                long count = now[0] - was[0];
                long bytes = now[1] - was[1];
                if (count > 0) {
                    out.add(new SoakCulprit("gc", key.kind(), key.site().frames(), (double) count / done,
                            (double) bytes / done, count, bytes));
                }
            });
            return out;
        }

        private SoakResult judge(Duration elapsed, List<SoakCulprit> culprits, NativeCulprits nativeStatus) {
            int from = judgedFrom(taken);
            double[] x = xs(from, taken);
            List<ProbeResult> results = new ArrayList<>();
            boolean anyLeak = false;
            boolean anyUnsure = false;
            StringBuilder advice = new StringBuilder();
            for (int i = 0; i < probes.size(); i++) {
                Probe p = probes.get(i);
                double threshold = p.unit() == Probe.Unit.BYTES ? o.minLeakBytesPerIteration()
                        : o.minLeakCountPerIteration();
                boolean deciding = !o.informationalProbes().contains(p.name())
                        && !(p.name().equals("native-malloc") && available("native-libs"));
                long[] iters = Arrays.copyOf(sampleIterations, taken);
                double[] vals = Arrays.copyOf(values[i], taken);
                if (!usable[i]) {
                    results.add(new ProbeResult(p.name(), p.unit(), p.description(), false, reasons[i], false, iters,
                            vals, from, null, threshold, Verdict.INCONCLUSIVE));
                    continue;
                }
                Stats.Fit f = Stats.theilSen(x, Arrays.copyOfRange(values[i], from, taken), o.confidence());
                Slope slope = new Slope(f.slope(), f.low(), f.high(), o.confidence(), f.intercept(), f.pValue());
                Verdict v;
                if (f.low() > threshold && f.pValue() < 1 - o.confidence()) {
                    v = Verdict.LEAK;
                } else if (f.high() < threshold) {
                    v = Verdict.NO_LEAK;
                } else {
                    v = Verdict.INCONCLUSIVE;
                    if (deciding) {
                        advice.append(String.format(java.util.Locale.ROOT,
                                "%s: slope %.3g [%.3g, %.3g] %s/iteration straddles the threshold %.3g; %s%n",
                                p.name(), f.slope(), f.low(), f.high(), p.unit() == Probe.Unit.BYTES ? "bytes"
                                        : "objects", threshold, f.low() > threshold
                                        ? "the trend is not significant: take more samples (--samples " + (k * 2) + ")"
                                        : "run more iterations (--iterations " + Math.max(done * 4, 10) + ") to narrow it"));
                    }
                }
                if (deciding) {
                    anyLeak |= v == Verdict.LEAK;
                    anyUnsure |= v == Verdict.INCONCLUSIVE;
                }
                results.add(new ProbeResult(p.name(), p.unit(), p.description(), true, "", deciding, iters, vals, from,
                        slope, threshold, v));
                emitVerdict(p.name(), v, slope);
            }
            Verdict overall = anyLeak ? Verdict.LEAK : anyUnsure ? Verdict.INCONCLUSIVE : Verdict.NO_LEAK;
            emitVerdict("overall", overall, null);
            List<SoakCulprit> kept = culprits.size() > 3 * TOP_CULPRITS ? culprits.subList(0, 3 * TOP_CULPRITS) : culprits;
            return new SoakResult(name, overall, done, elapsed, o, List.copyOf(results), List.copyOf(kept), nativeStatus,
                    overall == Verdict.INCONCLUSIVE ? advice.toString().strip() : "");
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
