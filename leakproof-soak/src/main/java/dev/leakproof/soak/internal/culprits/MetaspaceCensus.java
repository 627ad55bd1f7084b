package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.DiagnosticCommands;
import dev.leakproof.soak.internal.RepeatedClasses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;

/**
 * Metaspace culprits: the class loaders whose classes (and the hidden classes they define) grow, from the JVM's
 * per-loader statistics at each observation, with the stack that defined them from JFR's {@code jdk.ClassDefine}.
 *
 * <p>Design note. Class metadata lives in metaspace, outside the heap: a class kept alive costs a few kilobytes
 * there and only a {@code java.lang.Class} mirror (a few hundred bytes, split across many small objects) on the
 * heap, which is why a class leak hides from heap culprits. The {@code VM.classloader_stats} diagnostic command
 * (the {@code vmClassloaderStats} operation of the {@code DiagnosticCommand} MBean) lists every live loader with
 * its class count and metaspace blocks, and the hidden classes it defined on a line of their own; rows are
 * summed by the loader's class (a leak of loaders is many rows of one class), hidden classes apart. A key is a
 * culprit when its classes and their bytes grow ({@link Trend#grows()}), the bytes above the same floor as
 * {@link HeapCensus}'s; classes defined by the pass's own JFR recording or by the soak engine are left out.
 */
final class MetaspaceCensus implements Census {
    /** The loader type the JVM prints for the boot loader, and the one JFR events without a loader are given. */
    static final String BOOT = "<boot class loader>";
    private static final String HIDDEN = "hidden classes of ";
    /** How the kind of a culprit that is a class loader's classes starts. */
    static final String LOADER_KIND = "classes of class loader ";

    private final Series series = new Series(64);
    /** Live loaders per loader class at the last observation. */
    private final Map<String, Integer> loaders = new HashMap<>();
    private final Map<String, long[]> baseline = new HashMap<>();
    /** Live hidden classes by {@link RepeatedClasses#fold} at the baseline: JFR records no event for a hidden class. */
    private Map<String, Integer> hiddenBefore = Map.of();
    private long passIterations;
    private String failure = "";
    private final String probe;

    /** @param probe the probe it explains: {@code classes} (counts) or {@code metaspace} (bytes) */
    MetaspaceCensus(String probe) {
        this.probe = probe;
    }

    @Override
    public String probe() {
        return probe;
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of(Recorder.Need.CLASS_DEFINES);
    }

    @Override
    public void baseline() {
        String stats = stats();
        if (stats == null) {
            return;
        }
        parse(stats, (key, classes, bytes, isLoader) -> {
            long[] v = baseline.computeIfAbsent(key, k -> new long[2]);
            v[0] += classes;
            v[1] += bytes;
        });
        baseline.keySet().forEach(series::prime);
        hiddenBefore = hiddenClasses();
    }

    @Override
    public void observe(long iteration) {
        String stats = stats();
        if (stats == null) {
            return;
        }
        series.next(iteration);
        passIterations = iteration;
        loaders.clear();
        parse(stats, (key, classes, bytes, isLoader) -> {
            series.add(key, classes, bytes);
            if (isLoader) {
                loaders.merge(key, 1, Integer::sum);
            }
        });
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        boolean counts = probe.equals("classes");
        double floor = HeapCensus.floor(counts ? Double.NaN : probeSlope, passIterations);
        Map<String, Integer> hiddenAdded = new HashMap<>();
        hiddenClasses().forEach((name, n) -> {
            int added = n - hiddenBefore.getOrDefault(name, 0);
            if (added > 0) {
                hiddenAdded.put(name, added);
            }
        });
        List<SoakCulprit> out = new ArrayList<>();
        for (int row = 0; row < series.keys(); row++) {
            Trend bytes = series.bytesTrend(row);
            // a loader's metadata also grows without new classes (profiles of methods turning hot): the JVM's own
            if (!bytes.grows() || bytes.perIteration() < floor || !series.countTrend(row).grows()) {
                continue;
            }
            String key = series.key(row);
            boolean hidden = key.startsWith(HIDDEN);
            String loader = hidden ? key.substring(HIDDEN.length()) : key;
            Map<List<String>, Integer> stacks = new HashMap<>();
            Map<String, Integer> names = new HashMap<>();
            int own = 0;
            for (Evidence.ClassDefine d : evidence.classDefines()) {
                if (d.hidden() == hidden && d.loaderType().equals(loader)) {
                    if (isOwn(d.stack())) {
                        own++;
                    } else {
                        stacks.merge(d.stack(), 1, Integer::sum);
                        names.merge(RepeatedClasses.fold(d.className()), 1, Integer::sum);
                    }
                }
            }
            if (own > 0 && names.isEmpty()) {
                continue; // classes the pass itself loaded (its JFR recording, its own code)
            }
            if (hidden && names.isEmpty()) {
                names.putAll(hiddenAdded);
            }
            if (hidden && (names.isEmpty() || loader.equals(BOOT))) {
                continue; // the JDK's own: method-handle forms and lambdas it spins as code runs
            }
            List<String> stack = stacks.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse(List.of());
            String defined = names.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse("");
            Trend count = series.countTrend(row);
            long[] before = baseline.getOrDefault(key, new long[2]);
            long bytesAtEnd = series.bytes(row, series.observations() - 1);
            String kind = hidden ? "hidden classes" + (defined.isEmpty() ? "" : " " + defined) + " (defined by "
                    + loader + ")" : LOADER_KIND + loader
                    + (defined.isEmpty() ? "" : " (e.g. " + defined + ")");
            out.add(new SoakCulprit(probe(), "classes", kind, count.perIteration(), bytes.perIteration(),
                    Census.share(counts ? count.perIteration() : bytes.perIteration(), probeSlope),
                    Math.max(0, count.lastCount() - before[0]),
                    Math.max(0, bytesAtEnd - before[1]), user.pick(stack), stack, List.of(),
                    describe(hidden, loader, loaders.getOrDefault(key, 0), names.values().stream()
                            .mapToInt(Integer::intValue).sum())));
        }
        out.sort(Comparator.comparingDouble(counts ? SoakCulprit::perIteration : SoakCulprit::bytesPerIteration)
                .reversed());
        return out.subList(0, Math.min(HeapCensus.TOP, out.size()));
    }

    private static String describe(boolean hidden, String loader, int liveLoaders, int defined) {
        String alive = hidden ? "" : liveLoaders + (liveLoaders == 1 ? " loader" : " loaders") + " of this class alive"
                + " at the end; ";
        String defines = hidden ? "the JVM records no jdk.ClassDefine event for a hidden class, so no defining stack: look for "
                + "Lookup.defineHiddenClass (or a library that spins classes) called from the code above"
                : defined == 0 ? "no jdk.ClassDefine event matched, so no defining stack"
                : defined + " class" + (defined == 1 ? "" : "es") + " defined in the pass";
        return alive + defines + "; classes stay in metaspace as long as their loader"
                + (hidden ? " (or, for a hidden class, the Class object) " : " ") + "is reachable";
    }

    @Override
    public String note() {
        return failure;
    }

    /**
     * @return whether a stack is the culprit pass's own: its JFR recording loading classes, or the soak engine
     *         itself (not the user's operation it calls) being the first frame past the JDK's loading machinery
     */
    static boolean isOwn(List<String> stack) {
        for (String frame : stack) {
            String cls = Frames.className(frame);
            if (cls.startsWith("jdk.jfr.")) {
                return true;
            }
            if (cls.isEmpty() || cls.startsWith("java.") || cls.startsWith("jdk.internal.") || cls.startsWith("sun.")) {
                continue;
            }
            return cls.startsWith("dev.leakproof.soak.") && !cls.matches(".*Test(\\$.*)?");
        }
        return false;
    }

    /** @return live hidden classes by {@link RepeatedClasses#fold}, from {@code VM.classes}; empty when it fails */
    private Map<String, Integer> hiddenClasses() {
        Map<String, Integer> out = new HashMap<>();
        String list;
        try {
            list = DiagnosticCommands.run("vmClasses");
        } catch (JMException | RuntimeException e) {
            return out;
        }
        RepeatedClasses.forEachClass(list, name -> {
            String folded = RepeatedClasses.fold(name);
            if (name.indexOf('/') > 0 && !RepeatedClasses.jdkSpun(folded)) {
                out.merge(folded, 1, Integer::sum);
            }
        });
        return out;
    }

    private String stats() {
        if (!failure.isEmpty()) {
            return null;
        }
        try {
            return DiagnosticCommands.run("vmClassloaderStats");
        } catch (JMException | RuntimeException e) {
            failure = "the class loader statistics (DiagnosticCommand vmClassloaderStats) failed: " + e;
            return null;
        }
    }

    /** Receives one row of the statistics. */
    @FunctionalInterface
    interface Row {
        /**
         * @param key      the loader's class, or {@code hidden classes of } and the loader's class
         * @param classes  classes on the row
         * @param bytes    their metaspace blocks
         * @param isLoader whether the row is a loader (not its hidden classes)
         */
        void accept(String key, long classes, long bytes, boolean isLoader);
    }

    /**
     * Parses {@code VM.classloader_stats}: a loader row is {@code addr parent cld classes chunkSz blockSz type},
     * and the row after it may be {@code classes chunkSz blockSz + hidden classes}, which belongs to that loader.
     *
     * @param stats the command's output
     * @param row   receives each row
     */
    static void parse(String stats, Row row) {
        String lastType = null;
        for (String line : stats.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && f[0].startsWith("0x") && f[1].startsWith("0x") && f[2].startsWith("0x")) {
                try {
                    long classes = Long.parseLong(f[3]);
                    long bytes = Long.parseLong(f[5]);
                    lastType = String.join(" ", java.util.Arrays.copyOfRange(f, 6, f.length));
                    row.accept(lastType, classes, bytes, true);
                } catch (NumberFormatException e) {
                    lastType = null;
                }
            } else if (f.length == 6 && lastType != null && f[3].equals("+") && f[4].equals("hidden")) {
                try {
                    row.accept(HIDDEN + lastType, Long.parseLong(f[0]), Long.parseLong(f[2]), false);
                } catch (NumberFormatException e) {
                    // not a row of the statistics
                }
            } else {
                lastType = null;
            }
        }
    }
}
