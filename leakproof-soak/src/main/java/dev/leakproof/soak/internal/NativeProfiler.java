package dev.leakproof.soak.internal;

import dev.leakproof.soak.SoakResult;
import dev.leakproof.soak.internal.culprits.Frames;
import dev.leakproof.soak.internal.culprits.Trend;
import dev.leakproof.soak.internal.culprits.UserCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import one.profiler.AsyncProfiler;

/**
 * Native allocation culprits from async-profiler's {@code nativemem} mode, run inside this JVM.
 * {@snippet :
 * StringBuilder why = new StringBuilder();
 * NativeProfiler p = NativeProfiler.start(dir, why);          // null, with the reason in why, if it cannot run
 * ... p.mark(iteration) at each sample ...
 * p.stop();
 * NativeProfiler.Findings f = p.findings("native-libs", NativeProfiler.Scope.LIBRARIES, iterations,
 *         nativeLibsSlope, UserCode.of(target), 10);
 * }
 *
 * <p>Design note. The profiler hooks {@code malloc}/{@code free} in the import tables of the loaded libraries
 * and writes standard JFR with {@code profiler.Malloc} (address, size, mixed Java and native stack) and
 * {@code profiler.Free} (address) events. Its native frames carry the library as the method's type
 * ({@code libzip.so}) and the symbol as its name ({@code deflateInit2_}); they are rendered {@code deflateInit2_
 * [libzip.so]}. The events are replayed in time order, pairing each free with the malloc live at that address,
 * and the live allocations of each stack are taken at each {@link #mark(long) mark}: a stack whose live bytes
 * grow ({@link Trend#grows()}), or grow in steps that explain a quarter of the probe's growth, is a culprit; one
 * whose live bytes stopped growing is a cache, listed apart. With fewer than four marks the replay takes the
 * middle of the recording and its end: a stack that added less than a quarter of its memory in the second half
 * is a cache (a steady leak adds half). For {@code native-libs} ({@link Scope#LIBRARIES}), stacks that start in
 * {@code libjvm.so} (the JIT, the GC) are left out, but for {@code Unsafe.allocateMemory} (FFM arenas): the JVM's
 * memory is charted by the {@code nmt} probe; for
 * {@code direct} ({@link Scope#DIRECT}), only those are kept that go through {@code Unsafe.allocateMemory}.
 *
 * <p>Limit: {@code malloc} called by a native library is seen, but libc {@code malloc} called directly through
 * an FFM downcall is not: no library's import table sits between Java and libc.
 * {@link #invisibleGrowthMessage(String, double)} says so when a native probe grows and the profile explains
 * little of it. What is seen is the pointer such a downcall returns: the profiler also traces
 * {@value #POINTER_RETURN}, and the sites of those calls stand in for the growth nobody explains, named as an
 * estimate.
 */
public final class NativeProfiler {
    /** Part of the probe's growth the culprits must explain before the rest is called invisible. */
    static final double EXPLAINED = 0.25;
    /** Stacks kept as caches. */
    static final int CACHES = 5;
    /** Bytes per iteration below which a stack is not named (a thread's TLS, a lazily grown table). */
    static final double MIN_BYTES_PER_ITERATION = 1.0;
    /** Part of the probe's growth below which a stack is not named. */
    static final double MIN_SHARE = 0.01;
    /** Part of the probe's growth a stack growing in steps must explain to be named. */
    static final double STEP_SHARE = 0.25;
    /**
     * The JDK method that turns the address an FFM downcall returns into a segment: async-profiler traces every call
     * of it (a Java method event, recorded as {@code jdk.ExecutionSample} with the caller's stack), so the sites
     * of downcalls that return native pointers are known even where the profiler cannot see the malloc behind them.
     */
    static final String POINTER_RETURN = "jdk.internal.foreign.Utils.longToAddress";
    /** Downcall sites named when they stand in for memory the profiler does not see. */
    static final int POINTER_SITES = 3;

    /** Which allocations a profile is asked about. */
    public enum Scope {
        /**
         * Memory of native libraries and FFM code (the {@code native-libs} probe): stacks that start in
         * {@code libjvm.so} (the JIT, the GC) are left out, as the probe takes NMT's count of them out too, except
         * those through {@code Unsafe.allocateMemory} (FFM arenas, direct buffers), which the probe keeps in.
         */
        LIBRARIES,
        /**
         * Direct memory (the {@code direct} probe): the allocations made through
         * {@code jdk.internal.misc.Unsafe.allocateMemory}, which direct buffers and FFM arenas use.
         */
        DIRECT;

        boolean keeps(List<String> stack) {
            return switch (this) {
                case LIBRARIES -> stack.isEmpty() || !stack.getFirst().endsWith("[libjvm.so]") || DIRECT.keeps(stack);
                case DIRECT -> stack.stream().anyMatch(f -> f.startsWith("jdk.internal.misc.Unsafe.allocateMemory"));
            };
        }
    }

    private final AsyncProfiler profiler;
    private final Path file;
    private long[] markIterations = new long[64];
    private long[] markNanos = new long[64];
    private int marks;
    private boolean stopped;
    private Replay replay;

    private final String traced;

    private NativeProfiler(AsyncProfiler profiler, Path file, String traced) {
        this.profiler = profiler;
        this.file = file;
        this.traced = traced;
    }

    /**
     * Starts profiling, or says why it cannot.
     *
     * @param dir where the recording goes
     * @param why receives the reason when it cannot start
     * @return the running profiler, or null
     */
    public static NativeProfiler start(Path dir, StringBuilder why) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            why.append("async-profiler's nativemem mode works on Linux only (this is ").append(os).append(')');
            return null;
        }
        try {
            AsyncProfiler p = AsyncProfiler.getInstance();
            Path f = dir.resolve("native-allocations.jfr").toAbsolutePath();
            // cstack=vm: Java frames from the JVM's own structures, so a native library built without frame
            // pointers (zstd-jni) no longer cuts the stack off above the Java code that called it
            try {
                p.execute("start,event=" + POINTER_RETURN + ",nativemem=0,cstack=vm,file=" + f + ",jfr");
            } catch (IllegalStateException | IOException e) {
                // a JVM that cannot retransform java.base: native allocations only
                p.execute("start,event=nativemem,nativemem=0,cstack=vm,file=" + f + ",jfr");
            }
            return new NativeProfiler(p, f, POINTER_RETURN);
        } catch (IllegalStateException e) {
            why.append("async-profiler could not start: ").append(e.getMessage())
                    .append(" (one profile at a time in a JVM: stop the running one first)");
            return null;
        } catch (Throwable t) {
            why.append("async-profiler could not start: ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage()).append(" (it needs Linux x64/arm64 and permission to load its library)");
            return null;
        }
    }

    /**
     * Starts tracing every call of one Java method, with its caller's stack (an async-profiler Java method event;
     * no native allocations), or says why it cannot.
     *
     * @param dir    where the recording goes
     * @param method the method, {@code package.Class.method}
     * @param why    receives the reason when it cannot start
     * @return the running profiler, or null
     */
    public static NativeProfiler trace(Path dir, String method, StringBuilder why) {
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")) {
            why.append("async-profiler runs here on Linux only");
            return null;
        }
        try {
            AsyncProfiler p = AsyncProfiler.getInstance();
            Path f = dir.resolve("traced-calls.jfr").toAbsolutePath();
            p.execute("start,event=" + method + ",cstack=vm,file=" + f + ",jfr");
            return new NativeProfiler(p, f, method);
        } catch (Throwable t) {
            why.append("async-profiler could not trace ").append(method).append(": ").append(t.getMessage());
            return null;
        }
    }

    /**
     * A site that called the traced method.
     *
     * @param stack         the callers, innermost first (the JDK's FFM and method-handle glue left out)
     * @param perIteration  calls per iteration between the first and the last mark
     * @param calls         calls over the whole recording
     */
    public record TracedSite(List<String> stack, double perIteration, long calls) {
    }

    /**
     * Reads the stopped profiler's recording (once) for the traced method's calls.
     *
     * @return the sites that called it between the first and the last mark, most calls per iteration first (all
     *         sites, with rate 0, when there are fewer than two marks)
     * @throws IOException when the recording cannot be read
     */
    public List<TracedSite> tracedSites() throws IOException {
        if (replay == null) {
            replay = Replay.read(file, traced);
        }
        long[] at = marks >= 2 ? Arrays.copyOf(markNanos, marks) : new long[] {Long.MAX_VALUE};
        double span = marks >= 2 ? markIterations[marks - 1] - markIterations[0] : 0;
        return tracedSites(replay, at, span);
    }

    private static List<TracedSite> tracedSites(Replay r, long[] at, double span) {
        int c = at.length;
        long[] calls = r.tracedCallsAt(at);
        List<TracedSite> out = new ArrayList<>();
        for (int g = 0; g < r.tracedStacks.size(); g++) {
            double rate = span > 0 ? (calls[g * c + c - 1] - calls[g * c]) / span : 0;
            out.add(new TracedSite(r.tracedStacks.get(g), rate, r.tracedTotals.get(g)));
        }
        out.sort(Comparator.comparingDouble(TracedSite::perIteration).reversed());
        return out;
    }

    /** @return the recording */
    public Path file() {
        return file;
    }

    /**
     * Marks a point of the run (a sample, an observation): the live allocations of each stack are counted at
     * each mark. With four marks or more, growth is a trend over them; else the middle and the end are compared.
     *
     * @param iteration measured iterations done at this point
     */
    public void mark(long iteration) {
        if (marks == markIterations.length) {
            markIterations = Arrays.copyOf(markIterations, marks * 2);
            markNanos = Arrays.copyOf(markNanos, marks * 2);
        }
        Instant now = Instant.now();
        markIterations[marks] = iteration;
        markNanos[marks++] = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Stops profiling and writes the recording; a second call does nothing.
     *
     * @throws IllegalStateException when the profiler fails to stop
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            profiler.execute("stop");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("async-profiler failed to stop: " + e.getMessage(), e);
        }
    }

    /**
     * What the profile shows.
     *
     * @param culprits stacks whose live allocations grow, most bytes per iteration first
     * @param caches   stacks whose live allocations stopped growing (kept, not leaking), most bytes first
     * @param message  one or two sentences for the report: what the culprits explain, or why nothing is seen
     */
    public record Findings(List<SoakResult.SoakCulprit> culprits, List<SoakResult.SoakCulprit> caches,
                           String message) {
        /** Copies the lists. */
        public Findings {
            culprits = List.copyOf(culprits);
            caches = List.copyOf(caches);
        }
    }

    /**
     * Reads the stopped profiler's recording (once; later calls reuse it).
     *
     * @param probe      the probe the culprits explain ({@code native-libs}, {@code direct})
     * @param scope      which allocations explain it
     * @param iterations measured iterations run while profiling (used only with fewer than four marks)
     * @param probeSlope the probe's growth, bytes per iteration, for shares and the message (NaN when unknown)
     * @param user       which frames are the user's
     * @param top        culprits kept
     * @return culprits, caches and a message
     * @throws IOException when the recording cannot be read
     */
    public Findings findings(String probe, Scope scope, long iterations, double probeSlope, UserCode user, int top)
            throws IOException {
        if (replay == null) {
            replay = Replay.read(file, traced);
        }
        Replay r = replay;
        double[] x;
        long[] at;
        if (marks >= Trend.MIN_OBSERVATIONS) {
            x = new double[marks];
            for (int i = 0; i < marks; i++) {
                x[i] = markIterations[i];
            }
            at = Arrays.copyOf(markNanos, marks);
        } else {
            x = new double[] {iterations / 2.0, iterations};
            at = new long[] {r.first + (r.last - r.first) / 2, r.last};
        }
        int c = at.length;
        long[][] live = r.liveAt(at);               // [0]: count, [1]: bytes, per group and checkpoint
        double floor = Math.max(MIN_BYTES_PER_ITERATION, probeSlope > 0 ? MIN_SHARE * probeSlope : 0);
        List<SoakResult.SoakCulprit> culprits = new ArrayList<>();
        List<SoakResult.SoakCulprit> caches = new ArrayList<>();
        for (int g = 0; g < r.stacks.size(); g++) {
            List<String> stack = r.stacks.get(g);
            long endCount = live[0][g * c + c - 1];
            long endBytes = live[1][g * c + c - 1];
            if (endBytes <= 0 || !scope.keeps(stack)) {
                continue;
            }
            double perIteration;
            double bytesPerIteration;
            boolean grows;
            String how = "";
            if (c >= Trend.MIN_OBSERVATIONS) {
                Trend bytes = Trend.of(x, row(live[1], g, c));
                Trend count = Trend.of(x, row(live[0], g, c));
                grows = bytes.grows();
                perIteration = count.perIteration();
                bytesPerIteration = bytes.perIteration();
                if (!grows && probeSlope > 0 && bytes.growsInSteps(STEP_SHARE * probeSlope)) {
                    grows = true;
                    perIteration = count.netPerIteration();
                    bytesPerIteration = bytes.netPerIteration();
                    how = "grows in steps; ";
                }
            } else {
                long addedBytes = endBytes - live[1][g * c];
                long added = endCount - live[0][g * c];
                double half = Math.max(1, x[1] - x[0]);
                grows = added > 0 && addedBytes >= EXPLAINED * endBytes;
                perIteration = added / half;
                bytesPerIteration = addedBytes / half;
            }
            String where = Frames.allocationSite(stack);
            if (grows && bytesPerIteration >= floor) {
                culprits.add(new SoakResult.SoakCulprit(probe, "native", "malloc", perIteration, bytesPerIteration,
                        share(bytesPerIteration, probeSlope), endCount, endBytes, user.pick(stack), stack, List.of(),
                        how + (where.isEmpty() ? "" : "allocated in " + where)));
            } else if (!grows) {
                caches.add(new SoakResult.SoakCulprit(probe, "native", "malloc", perIteration, bytesPerIteration,
                        Double.NaN, endCount, endBytes, user.pick(stack), stack, List.of(),
                        "stopped growing: a cache or pool, not a culprit"
                                + (where.isEmpty() ? "" : "; allocated in " + where)));
            }
        }
        culprits.sort(Comparator.comparingDouble(SoakResult.SoakCulprit::bytesPerIteration).reversed());
        List<SoakResult.SoakCulprit> growing = List.copyOf(culprits);
        culprits.replaceAll(k -> cutShort(k, growing));
        caches.sort(Comparator.comparingLong(SoakResult.SoakCulprit::bytesAtEnd).reversed());
        List<SoakResult.SoakCulprit> kept = new ArrayList<>(culprits.subList(0, Math.min(top, culprits.size())));
        double seen = kept.stream().mapToDouble(SoakResult.SoakCulprit::bytesPerIteration).sum();
        List<SoakResult.SoakCulprit> downcalls = scope == Scope.LIBRARIES && probeSlope > 0
                && seen < EXPLAINED * probeSlope ? pointerSites(r, x, at, probe, probeSlope - seen, probeSlope, user)
                : List.of();
        kept.addAll(0, downcalls);
        return new Findings(kept, caches.subList(0, Math.min(CACHES, caches.size())),
                message(probe, scope, probeSlope, kept, caches.size()));
    }

    /**
     * The sites of FFM downcalls that returned native pointers while the probe grew more than the profiled
     * allocations explain: libc's {@code malloc} called through a downcall is invisible to async-profiler, but the
     * pointer it returns passes through {@link #POINTER_RETURN}. Each site, most calls per iteration first, is given
     * the unexplained growth in proportion to its calls: an estimate, and the note says so (a site that frees what
     * it gets back cannot be told from one that does not).
     */
    private static List<SoakResult.SoakCulprit> pointerSites(Replay r, double[] x, long[] at, String probe,
                                                            double unexplained, double probeSlope, UserCode user) {
        List<TracedSite> sites = tracedSites(r, at, x[x.length - 1] - x[0]).stream()
                .filter(t -> t.perIteration() > 0).toList();
        double total = sites.stream().mapToDouble(TracedSite::perIteration).sum();
        List<SoakResult.SoakCulprit> out = new ArrayList<>();
        for (TracedSite t : sites.subList(0, Math.min(POINTER_SITES, sites.size()))) {
            double bytes = unexplained * t.perIteration() / total;
            out.add(new SoakResult.SoakCulprit(probe, "native", "ffm-downcall", t.perIteration(), bytes,
                    share(bytes, probeSlope), 0, 0, bindingCaller(t.stack(), user), t.stack(), List.of(),
                    String.format(Locale.ROOT, "an FFM downcall that returned a native pointer %s "
                            + "while %s grew %.1f B/iteration that no profiled allocation explains (libc's "
                            + "malloc called through a downcall is invisible to async-profiler); its %.1f B/iteration "
                            + "is that growth shared among %d such %s by call rate: an estimate",
                            howOften(t.perIteration()), probe, unexplained, bytes, sites.size(),
                            sites.size() == 1 ? "site" : "sites")));
        }
        return out;
    }

    /**
     * The user's frame of a downcall site. When the downcall is made by a binding of the user's own (a
     * {@code Libc.malloc} wrapper in a class other than the soaked target's) and user code called that, the caller is
     * shown: a wrapper that hands the pointer back is not where it is kept or dropped.
     */
    static String bindingCaller(List<String> stack, UserCode user) {
        String frame = user.pick(stack);
        if (stack.size() > 1 && frame.equals(stack.getFirst())
                && !Frames.className(frame).equals(user.targetClassName())) {
            String caller = user.pick(stack.subList(1, stack.size()));
            return caller.isEmpty() ? frame : caller;
        }
        return frame;
    }

    /**
     * @param perIteration calls per iteration, above 0
     * @return how often, for a note: {@code 2.00 times per iteration}, {@code once every 513 iterations}
     */
    public static String howOften(double perIteration) {
        return perIteration >= 1 ? String.format(Locale.ROOT, "%.2f times per iteration", perIteration)
                : String.format(Locale.ROOT, "once every %,.0f iterations", 1 / perIteration);
    }

    /**
     * {@link #findings(String, Scope, long, double, UserCode, int)} for the memory of native libraries
     * ({@link Scope#LIBRARIES}).
     *
     * @param probe      the native probe the culprits explain ({@code native-libs})
     * @param iterations measured iterations run while profiling (used only with fewer than four marks)
     * @param probeSlope the probe's growth, bytes per iteration (NaN when unknown)
     * @param user       which frames are the user's
     * @param top        culprits kept
     * @return culprits, caches and a message
     * @throws IOException when the recording cannot be read
     */
    public Findings findings(String probe, long iterations, double probeSlope, UserCode user, int top)
            throws IOException {
        return findings(probe, Scope.LIBRARIES, iterations, probeSlope, user, top);
    }

    /**
     * A stack with no Java frame was cut short: async-profiler could not unwind through a library built without
     * frame pointers. Its note names the user's frame of another growing stack in the same library, if any: most
     * likely the same calls, allocating further in.
     */
    private static SoakResult.SoakCulprit cutShort(SoakResult.SoakCulprit c, List<SoakResult.SoakCulprit> all) {
        if (c.stack().isEmpty() || c.stack().stream().anyMatch(f -> f.endsWith(")"))) {
            return c;
        }
        String library = library(c.stack().getFirst());
        String sibling = all.stream().filter(o -> o != c && !o.userFrame().isEmpty()
                        && o.stack().stream().anyMatch(f -> library(f).equals(library)))
                .map(SoakResult.SoakCulprit::userFrame).findFirst().orElse("");
        String note = c.note() + (c.note().isEmpty() ? "" : "; ") + "the stack stops in " + library
                + " (async-profiler could not unwind past it)"
                + (sibling.isEmpty() ? "" : "; " + library + "'s other growing stack is called from " + sibling);
        return new SoakResult.SoakCulprit(c.probe(), c.source(), c.kind(), c.perIteration(), c.bytesPerIteration(),
                c.share(), c.liveAtEnd(), c.bytesAtEnd(), c.userFrame(), c.stack(), c.path(), note);
    }

    /** @return the library of a rendered native frame ({@code symbol [lib.so]}), or "" */
    private static String library(String frame) {
        int open = frame.lastIndexOf(" [");
        return frame.endsWith("]") && open >= 0 ? frame.substring(open + 2, frame.length() - 1) : "";
    }

    /** @return the iteration of the last {@link #mark(long) mark}, or 0 */
    public long lastMark() {
        return marks == 0 ? 0 : markIterations[marks - 1];
    }

    /**
     * The culprits of a profile that ran through the whole measured run, for an engine that does not mark it.
     *
     * @param iterations      measured iterations run while profiling
     * @param top             culprits kept
     * @param minPerIteration stacks whose allocations grow by less than this per iteration are left out
     * @return the growing stacks, most bytes per iteration first
     * @throws IOException when the recording cannot be read
     */
    public List<SoakResult.SoakCulprit> survivors(long iterations, int top, double minPerIteration) throws IOException {
        return findings("native-libs", iterations, Double.NaN, new UserCode(""), top).culprits().stream()
                .filter(c -> c.perIteration() >= minPerIteration).toList();
    }

    /**
     * The message for a native probe that grows while the profiler sees nothing that explains it.
     *
     * @param probe             the native probe ({@code native-libs})
     * @param bytesPerIteration its growth
     * @return what cannot be seen, why, and what makes it visible
     */
    public static String invisibleGrowthMessage(String probe, double bytesPerIteration) {
        return String.format(Locale.ROOT, "%s grows %.1f B/iteration that async-profiler does not see allocated. "
                + "The profiler hooks malloc in the import tables of loaded libraries, so two kinds of allocation are "
                + "invisible to it: libc's malloc called straight through an FFM downcall (a Linker downcall handle; "
                + "no library's import table sits between the two), and mallocs libc makes for itself (the "
                + "bookkeeping of each thread started, when threads leak too). Allocate FFM memory through "
                + "leakproof-core's TrackedArena (or register it with a ResourceKind) and its site shows up as a "
                + "tracked culprit.", probe, bytesPerIteration);
    }

    static String message(String probe, Scope scope, double probeSlope, List<SoakResult.SoakCulprit> culprits,
                          int caches) {
        List<SoakResult.SoakCulprit> downcalls = culprits.stream().filter(k -> k.kind().equals("ffm-downcall"))
                .toList();
        if (!downcalls.isEmpty()) {
            List<SoakResult.SoakCulprit> profiled = culprits.stream().filter(k -> !downcalls.contains(k)).toList();
            return message(probe, scope, probeSlope, profiled, caches) + String.format(Locale.ROOT, " %d FFM "
                    + "downcall %s returned native pointers meanwhile; %s named as the likely source, an estimate.",
                    downcalls.size(), downcalls.size() == 1 ? "site" : "sites", downcalls.size() == 1 ? "it is"
                            : "they are");
        }
        double seen = culprits.stream().mapToDouble(SoakResult.SoakCulprit::bytesPerIteration).sum();
        String cacheNote = caches == 0 ? "" : String.format(Locale.ROOT, " %d allocation %s stopped growing "
                + "(caches or pools, not culprits).", caches, caches == 1 ? "stack" : "stacks");
        boolean one = culprits.size() == 1;
        String found = String.format(Locale.ROOT, "%d native allocation %s %s, %.1f B/iteration in all",
                culprits.size(), one ? "stack" : "stacks", one ? "grows" : "grow", seen);
        if (probeSlope > 0 && seen < EXPLAINED * probeSlope && scope == Scope.DIRECT) {
            return found + String.format(Locale.ROOT, " through Unsafe.allocateMemory (%.0f%% of %s's growth).",
                    100 * seen / probeSlope, probe) + cacheNote;
        }
        if (probeSlope > 0 && seen < EXPLAINED * probeSlope) {
            String invisible = invisibleGrowthMessage(probe, probeSlope - seen);
            return (culprits.isEmpty() ? "" : found + String.format(Locale.ROOT, " (%.0f%% of %s's growth). ",
                    100 * seen / probeSlope, probe)) + invisible + cacheNote;
        }
        return found + (probeSlope > 0 ? String.format(Locale.ROOT, " (%.0f%% of %s's growth).",
                Math.min(100, 100 * seen / probeSlope), probe) : ".") + cacheNote;
    }

    private static double share(double perIteration, double probeSlope) {
        return probeSlope > 0 ? Math.min(1.0, perIteration / probeSlope) : Double.NaN;
    }

    private static double[] row(long[] table, int g, int c) {
        double[] y = new double[c];
        for (int i = 0; i < c; i++) {
            y[i] = table[g * c + i];
        }
        return y;
    }

    /** The recording's mallocs and frees, in arrays, and the stacks they group into. */
    private static final class Replay {
        /** A free. */
        private static final int FREE = -2;

        long[] time = new long[1 << 16];
        long[] address = new long[1 << 16];
        long[] size = new long[1 << 16];
        int[] group = new int[1 << 16];
        int n;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final List<List<String>> stacks = new ArrayList<>();
        long[] tracedTime = new long[1 << 10];
        int[] tracedGroup = new int[1 << 10];
        int traced;
        /** The calls each site made over the whole recording. */
        final List<Long> tracedTotals = new ArrayList<>();
        /** The callers of each site that called the traced method, the JDK's FFM and method-handle glue left out. */
        final List<List<String>> tracedStacks = new ArrayList<>();

        static Replay read(Path file, String traced) throws IOException {
            Replay r = new Replay();
            Map<RecordedStackTrace, Integer> byTrace = new HashMap<>();
            Map<List<String>, Integer> byStack = new HashMap<>();
            Map<RecordedStackTrace, Integer> byTracedTrace = new HashMap<>();
            Map<List<String>, Integer> byTracedStack = new HashMap<>();
            try (RecordingFile rf = new RecordingFile(file)) {
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    String type = e.getEventType().getName();
                    if (type.equals("profiler.Malloc")) {
                        RecordedStackTrace st = e.getStackTrace();
                        int g = st == null ? r.group(List.of(), byStack)
                                : byTrace.computeIfAbsent(st, k -> r.group(Frames.render(k), byStack));
                        r.add(e, g, e.getLong("size"));
                    } else if (type.equals("profiler.Free")) {
                        r.add(e, FREE, 0);
                    } else if (type.equals("jdk.ExecutionSample") && isTraced(e.getStackTrace(), traced)) {
                        r.addTraced(e, byTracedTrace.computeIfAbsent(e.getStackTrace(),
                                k -> r.tracedGroup(callers(Frames.render(k)), byTracedStack)));
                    }
                }
            }
            return r;
        }

        private static boolean isTraced(RecordedStackTrace st, String traced) {
            if (st == null || st.getFrames().isEmpty()) {
                return false;
            }
            jdk.jfr.consumer.RecordedMethod m = st.getFrames().getFirst().getMethod();
            return m != null && (m.getType().getName() + "." + m.getName()).equals(traced);
        }



        /** @return the frames from the first that is neither FFM's nor method-handle glue */
        private static List<String> callers(List<String> frames) {
            int i = frames.isEmpty() ? 0 : 1;     // the traced method itself
            while (i < frames.size() && (frames.get(i).startsWith("jdk.internal.foreign.")
                    || frames.get(i).startsWith("java.lang.invoke."))) {
                i++;
            }
            return List.copyOf(frames.subList(i, frames.size()));
        }

        private int tracedGroup(List<String> stack, Map<List<String>, Integer> byStack) {
            return byStack.computeIfAbsent(stack, k -> {
                tracedStacks.add(k);
                tracedTotals.add(0L);
                return tracedStacks.size() - 1;
            });
        }

        private void addTraced(RecordedEvent e, int g) {
            if (traced == tracedTime.length) {
                tracedTime = Arrays.copyOf(tracedTime, traced * 2);
                tracedGroup = Arrays.copyOf(tracedGroup, traced * 2);
            }
            Instant t = e.getStartTime();
            tracedTime[traced] = t.getEpochSecond() * 1_000_000_000L + t.getNano();
            tracedGroup[traced++] = g;
            tracedTotals.set(g, tracedTotals.get(g) + 1);
        }

        /** @return per site, its calls of the traced method up to each checkpoint, {@code group * c + k} */
        long[] tracedCallsAt(long[] checkpoints) {
            int c = checkpoints.length;
            long[] out = new long[tracedStacks.size() * c];
            for (int i = 0; i < traced; i++) {
                int k = Arrays.binarySearch(checkpoints, tracedTime[i]);
                int first = k >= 0 ? k : -k - 1;    // the first checkpoint at or after the call
                if (first < c) {
                    out[tracedGroup[i] * c + first]++;
                }
            }
            for (int g = 0; g < tracedStacks.size(); g++) {
                for (int k = 1; k < c; k++) {
                    out[g * c + k] += out[g * c + k - 1];
                }
            }
            return out;
        }

        private int group(List<String> stack, Map<List<String>, Integer> byStack) {
            return byStack.computeIfAbsent(stack, k -> {
                stacks.add(k);
                return stacks.size() - 1;
            });
        }

        private void add(RecordedEvent e, int g, long bytes) {
            if (n == time.length) {
                int m = n * 2;
                time = Arrays.copyOf(time, m);
                address = Arrays.copyOf(address, m);
                size = Arrays.copyOf(size, m);
                group = Arrays.copyOf(group, m);
            }
            Instant t = e.getStartTime();
            long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
            time[n] = nanos;
            address[n] = e.getLong("address");
            size[n] = bytes;
            group[n++] = g;
            first = Math.min(first, nanos);
            last = Math.max(last, nanos);
        }

        /**
         * Replays the events in time order (threads write their own buffers, so the file is not) and counts the
         * live allocations of each group at each checkpoint.
         *
         * @return {count, bytes}, each indexed {@code group * checkpoints + checkpoint}
         */
        long[][] liveAt(long[] checkpoints) {
            int c = checkpoints.length;
            int groups = stacks.size();
            long[] count = new long[groups];
            long[] bytes = new long[groups];
            long[][] out = {new long[groups * c], new long[groups * c]};
            Map<Long, Integer> live = new HashMap<>();
            int next = 0;
            for (int i : order()) {
                while (next < c && time[i] > checkpoints[next]) {
                    snapshot(out, count, bytes, next++, c);
                }
                Integer was = group[i] == FREE ? live.remove(address[i]) : live.put(address[i], i);
                if (was != null && group[was] >= 0) {
                    count[group[was]]--;
                    bytes[group[was]] -= size[was];
                }
                if (group[i] >= 0) {
                    count[group[i]]++;
                    bytes[group[i]] += size[i];
                }
            }
            while (next < c) {
                snapshot(out, count, bytes, next++, c);
            }
            return out;
        }

        private static void snapshot(long[][] out, long[] count, long[] bytes, int checkpoint, int c) {
            for (int g = 0; g < count.length; g++) {
                out[0][g * c + checkpoint] = count[g];
                out[1][g * c + checkpoint] = bytes[g];
            }
        }

        /** @return event indices sorted by time, stable (a bottom-up merge sort on primitive indices) */
        private int[] order() {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = i;
            }
            int[] b = new int[n];
            for (int width = 1; width < n; width *= 2) {
                for (int lo = 0; lo < n; lo += 2 * width) {
                    int mid = Math.min(lo + width, n);
                    int hi = Math.min(lo + 2 * width, n);
                    int i = lo;
                    int j = mid;
                    int k = lo;
                    while (i < mid && j < hi) {
                        b[k++] = time[a[j]] < time[a[i]] ? a[j++] : a[i++];
                    }
                    while (i < mid) {
                        b[k++] = a[i++];
                    }
                    while (j < hi) {
                        b[k++] = a[j++];
                    }
                }
                int[] t = a;
                a = b;
                b = t;
            }
            return a;
        }
    }
}
