package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.DiagnosticCommands;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;

/**
 * Heap culprits: the classes whose live instances grow, from a class histogram per observation, and who holds
 * them, from JFR's old-object samples.
 *
 * <p>Design note. The histogram is the {@code GC.class_histogram} diagnostic command, run through the
 * {@code com.sun.management:type=DiagnosticCommand} MBean ({@code gcClassHistogram}); it collects the heap fully
 * first, so it counts live objects only. A class is a culprit when its bytes grow ({@link Trend#grows()}),
 * by at least {@link #floor} (a share of the heap probe's slope, and enough bytes over the pass to stand above the
 * JVM's own bookkeeping), or grow in steps
 * that explain {@link #STEP_SHARE} of it (the backing array of a list: one object, resized by half when full).
 * Its holder is looked up in the recording's live {@code jdk.OldObjectSample} events: samples of the class itself,
 * else samples whose path to a GC root passes through it (a growing {@code HashMap$Node} is found through the
 * values it holds).
 */
final class HeapCensus implements Census {
    /** Classes named per pass: the rest are the long tail of a leak's object graph. */
    static final int TOP = 10;
    /**
     * Bytes per iteration at or above which a class is named, whatever the length of the pass: the JVM's own
     * bookkeeping (interned strings, method handles linked late) can rise a few hundred bytes over a pass, a leak
     * does that every few iterations.
     */
    static final double MIN_BYTES_PER_ITERATION = 1.0;
    /**
     * Growth over the whole pass at or above which a class is named even when it is under
     * {@link #MIN_BYTES_PER_ITERATION}: a slow leak (a class loader's few objects every 500 iterations, say) adds
     * tens of kilobytes over a long pass, far above that bookkeeping, while each of its classes stays under a byte
     * per iteration.
     */
    static final double MIN_BYTES_PER_PASS = 4096;
    /** Part of the heap probe's growth below which a class is not named. */
    static final double MIN_SHARE = 0.01;
    /** Part of the heap probe's growth that a class growing in steps (an array resized by half) must explain. */
    static final double STEP_SHARE = 0.25;

    /**
     * What the collector writes into the unused tail of a region (G1, for the rest of a humongous array's last
     * region): the histogram counts them as live objects, and they grow with a leaking large array, but nobody
     * allocated them.
     */
    static final Set<String> JVM_FILLERS = Set.of("jdk.internal.vm.FillerElement[]", "jdk.internal.vm.FillerObject",
            "jdk.internal.vm.FillerArray");

    private Map<String, long[]> baseline = Map.of();
    private Series series = new Series(0);
    private String failure = "";
    private long passIterations;

    HeapCensus() {
    }

    @Override
    public String probe() {
        return "heap";
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of(Recorder.Need.OLD_OBJECTS);
    }

    @Override
    public void baseline() {
        String histogram = histogram();
        if (histogram == null) {
            return;
        }
        Map<String, long[]> b = new HashMap<>();
        parse(histogram, (name, instances, bytes) -> {
            long[] v = b.computeIfAbsent(name, k -> new long[2]);
            v[0] += instances;
            v[1] += bytes;
        });
        baseline = b;
        series = new Series(b.size());
        b.keySet().forEach(series::prime);
    }

    @Override
    public void observe(long iteration) {
        String histogram = histogram();
        if (histogram == null) {
            return;
        }
        series.next(iteration);
        passIterations = iteration;
        parse(histogram, series::add);
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        record Growing(int row, double bytesPerIteration, boolean steps) {
        }
        List<Growing> growing = new ArrayList<>();
        double floor = floor(probeSlope, passIterations);
        for (int row = 0; row < series.keys(); row++) {
            if (JVM_FILLERS.contains(series.key(row))) {
                continue;
            }
            Trend bytes = series.bytesTrend(row);
            switch (growth(bytes, floor, probeSlope)) {
                case SLOPE -> growing.add(new Growing(row, bytes.perIteration(), false));
                case STEPS -> growing.add(new Growing(row, bytes.netPerIteration(), true));
                case NONE -> {
                }
            }
        }
        // near ties go to a class of a library or of the user: a leak spread over many classes (an H2 session's
        // graph) has an Object[] and its SessionLocal within a fraction of a percent of each other, and the
        // second says more
        growing.sort(Comparator.comparingDouble((Growing g) -> g.bytesPerIteration()
                * (isJdk(series.key(g.row())) ? 1 - JDK_TILT : 1)).reversed());
        List<SoakCulprit> out = new ArrayList<>();
        for (Growing g : growing.subList(0, Math.min(TOP, growing.size()))) {
            String cls = series.key(g.row());
            Trend count = series.countTrend(g.row());
            long[] before = baseline.getOrDefault(cls, new long[2]);
            long bytesAtEnd = series.bytes(g.row(), series.observations() - 1);
            Evidence.Holder h = evidence.holderOf(cls);
            out.add(new SoakCulprit(probe(), "histogram", cls,
                    g.steps() ? count.netPerIteration() : count.perIteration(), g.bytesPerIteration(),
                    Census.share(g.bytesPerIteration(), probeSlope), Math.max(0, count.lastCount() - before[0]),
                    Math.max(0, bytesAtEnd - before[1]), user.pick(h.stack()), h.stack(), h.path(),
                    (g.steps() ? "grows in steps (an array or table resized as it fills); " : "")
                            + note(cls, h, evidence)));
        }
        return out;
    }

    /** How much less a JDK class weighs than a library's or the user's when culprits are ranked. */
    static final double JDK_TILT = 0.05;

    /** @return whether a histogram class (or its array's element class) is the JDK's, primitives included */
    static boolean isJdk(String cls) {
        String element = cls.endsWith("[]") ? cls.substring(0, cls.indexOf('[')) : cls;
        return element.indexOf('.') < 0 || element.startsWith("java.") || element.startsWith("javax.")
                || element.startsWith("jdk.") || element.startsWith("sun.") || element.startsWith("com.sun.");
    }

    /** How a class grows, if it does. */
    enum Growth { NONE, SLOPE, STEPS }

    /**
     * @param bytes      the trend of a class's bytes over the pass
     * @param floor      bytes per iteration under which it is not named ({@link #floor})
     * @param probeSlope the heap probe's growth per iteration (steps are looked for only when it is known)
     * @return growing along a slope above the floor, in steps that explain {@link #STEP_SHARE} of the probe's
     *         growth, or neither. Steps are looked for also when the slope is significant but under the floor: a
     *         doubled array followed by a few bytes more at each observation is a monotone series whose Theil–Sen
     *         slope is far under the step's rate.
     */
    static Growth growth(Trend bytes, double floor, double probeSlope) {
        if (bytes.grows() && bytes.perIteration() >= floor) {
            return Growth.SLOPE;
        }
        if (probeSlope > 0 && bytes.growsInSteps(Math.max(floor, STEP_SHARE * probeSlope))) {
            return Growth.STEPS;
        }
        return Growth.NONE;
    }

    /**
     * @param probeSlope     the probe's growth per iteration (NaN or 0 when unknown)
     * @param passIterations iterations of the culprit pass
     * @return bytes per iteration under which a key of a census is not named
     */
    static double floor(double probeSlope, long passIterations) {
        double absolute = passIterations > 0
                ? Math.min(MIN_BYTES_PER_ITERATION, MIN_BYTES_PER_PASS / passIterations) : MIN_BYTES_PER_ITERATION;
        return Math.max(absolute, probeSlope > 0 ? MIN_SHARE * probeSlope : 0);
    }

    private static String note(String cls, Evidence.Holder h, Evidence evidence) {
        String note = sampling(cls, h, evidence);
        return Evidence.fromCompiler(h.path()) ? note + "; the path starts at a JIT compiler thread, which held "
                + "the first object while compiling code that reads it: typically a static final field" : note;
    }

    /** @return how to get more samples, when this JVM does not already run with small TLABs */
    private static String moreSamples() {
        return CulpritCollector.samplingOptionsOn() ? "" : ", and so does a soaked JVM started with "
                + String.join(" ", CulpritCollector.SAMPLING_JVM_OPTIONS) + " (./leakproof soak --jvm-arg …)";
    }

    private static String sampling(String cls, Evidence.Holder h, Evidence evidence) {
        if (h.samples() == 0) {
            String simple = Evidence.simpleName(cls);
            return evidence.oldObjects().isEmpty()
                    ? "no live JFR old-object sample in this pass (" + evidence.oldSampled() + " taken), so no path "
                            + "or allocation stack: the JVM samples the allocation that starts a new TLAB, about one "
                            + "per TLAB; a longer culprit pass samples more" + moreSamples()
                    : "none of the " + evidence.oldObjects().size() + " live JFR old-object samples is of class "
                            + simple + " or held through one, so no path or allocation stack: the JVM samples the "
                            + "allocation that starts a new TLAB, so small objects are seldom picked; a longer culprit "
                            + "pass samples more" + moreSamples();
        }
        if (!h.direct()) {
            return "no " + Evidence.simpleName(cls) + " itself was sampled: the path leads to it from a GC root "
                    + "and the stack is where a " + Evidence.simpleName(h.sampledType()) + " it holds was allocated ("
                    + h.samples() + " samples)";
        }
        return h.samples() + (h.samples() == 1 ? " live sample" : " live samples") + " of it in the pass";
    }

    @Override
    public String note() {
        return failure;
    }

    /** @return the histogram's text, or null once it failed */
    private String histogram() {
        if (!failure.isEmpty()) {
            return null;
        }
        try {
            return DiagnosticCommands.run("gcClassHistogram");
        } catch (JMException | RuntimeException e) {
            failure = "the class histogram (DiagnosticCommand gcClassHistogram) failed: " + e
                    + "; heap culprits need the jdk.management module";
            return null;
        }
    }

    /** Receives one histogram line. */
    @FunctionalInterface
    interface Line {
        void accept(String className, long instances, long bytes);
    }

    /**
     * Parses {@code GC.class_histogram} output: {@code "   1:   12345   678900  [B (java.base@25)"}, with the
     * header and the {@code Total} line skipped.
     *
     * @param histogram the command's output
     * @param line      receives each class, Java form ({@code byte[]})
     */
    static void parse(String histogram, Line line) {
        int pos = 0;
        int n = histogram.length();
        while (pos < n) {
            int end = histogram.indexOf('\n', pos);
            if (end < 0) {
                end = n;
            }
            parseLine(histogram, pos, end, line);
            pos = end + 1;
        }
    }

    private static void parseLine(String s, int from, int to, Line line) {
        int i = skipSpaces(s, from, to);
        int colon = i;
        while (colon < to && Character.isDigit(s.charAt(colon))) {
            colon++;
        }
        if (colon == i || colon >= to || s.charAt(colon) != ':') {
            return;                                   // header, separator or total
        }
        int a = skipSpaces(s, colon + 1, to);
        int aEnd = word(s, a, to);
        int b = skipSpaces(s, aEnd, to);
        int bEnd = word(s, b, to);
        int c = skipSpaces(s, bEnd, to);
        int cEnd = word(s, c, to);
        if (cEnd == c) {
            return;
        }
        try {
            line.accept(Evidence.javaName(s.substring(c, cEnd)), Long.parseLong(s, a, aEnd, 10),
                    Long.parseLong(s, b, bEnd, 10));
        } catch (NumberFormatException e) {
            // a line of another format: not a class
        }
    }

    private static int skipSpaces(String s, int i, int to) {
        while (i < to && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int word(String s, int i, int to) {
        while (i < to && s.charAt(i) != ' ') {
            i++;
        }
        return i;
    }
}
