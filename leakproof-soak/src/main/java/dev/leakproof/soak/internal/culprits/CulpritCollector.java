package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Names the culprits of leaking probes in anyone's code, during a culprit pass: more iterations of the soaked
 * operation, run after the main run judged some probes LEAK.
 * {@snippet :
 * try (CulpritCollector c = CulpritCollector.start(Set.of("heap", "threads"), UserCode.of(target.getClass()))) {
 *     for (long i = 1; i <= pass; i++) {
 *         target.iteration();
 *         if (i % (pass / 5) == 0) {
 *             settle();                                   // full GC, reference processing done
 *             c.observe(i);
 *         }
 *     }
 *     List<SoakResult.SoakCulprit> culprits = c.finish(Map.of("heap", heapSlope, "threads", threadSlope));
 *     Map<String, String> why = c.notes();               // e.g. native growth the profiler cannot see
 * }
 * }
 *
 * <p>Per probe: {@code heap} takes a class histogram at each observation and asks JFR's old-object samples who
 * holds the growing classes ({@link HeapCensus}); {@code threads} counts live threads by name pattern and finds the
 * stacks that started them ({@link ThreadCensus}); {@code fds} groups {@code /proc/self/fd} ({@link FdCensus});
 * {@code direct} follows the direct buffer pool and the allocations through {@code Unsafe.allocateMemory}
 * ({@link DirectCensus}); {@code native-libs} (or {@code native-malloc}) the allocations of native libraries
 * ({@link NativeCensus}); both from one async-profiler {@code nativemem} session ({@link NativeProfile}). Other probes
 * ({@code tracked}, {@code rss}, {@code nmt}) have no search here; {@link #notes()} says so. A thing is a culprit
 * only when it grows at nearly every observation ({@link Trend}): what churns and what is created once are not.
 *
 * <p>Cost: the in-process JFR recording (old-object sampling is cheap; the path search runs once, in
 * {@link #finish}), a histogram per observation (a full GC, tens of milliseconds on a small heap), and for a
 * native probe, async-profiler hooking every {@code malloc}. Not thread-safe: one thread drives it. A second
 * {@link #close()} does nothing, as a collector is closed after {@link #finish} in a try-with-resources.
 */
public final class CulpritCollector implements AutoCloseable {
    /**
     * Options for the JVM that runs a soak, when culprits should have paths and stacks: JFR samples one allocation
     * per TLAB refill, and with TLABs of 4 KB instead of the megabyte or so G1 sizes them to, a culprit pass that
     * allocates little still gets samples of small leaked objects (held-out round 4, two runs of each of four
     * cases: user frames 4 of 8 at 32 KB, 7 of 8 at 4 KB; a session class 2 live samples at 32 KB, 12 at 4 KB),
     * kept in a queue of 1,024 instead of 256. The price is allocation speed (a loop doing nothing but allocate
     * small arrays ran 15% slower; 2.6% at 32 KB) and a noisier {@code native-libs} (a short fixed soak of an FFM
     * arena churn came out undecided in 3 of 12 runs, 0 of 12 without them; docs/culprits.md), so they are not a
     * default. They only take effect when the JVM starts.
     */
    public static final List<String> SAMPLING_JVM_OPTIONS = List.of("-XX:TLABSize=4k", "-XX:-ResizeTLAB",
            "-XX:FlightRecorderOptions=old-object-queue-size=1024");

    /**
     * @return whether this JVM runs with small fixed TLABs ({@link #SAMPLING_JVM_OPTIONS} or the like), as read from
     *         the VM's flags
     */
    static boolean samplingOptionsOn() {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("ResizeTLAB").getValue().equals("false");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Order of the probes in the result: memory first, then counts. */
    private static final List<String> ORDER = List.of("heap", "classes", "metaspace", "direct", "mapped",
            "native-libs", "native-malloc", "threads", "fds");
    private static final Map<String, String> NO_SEARCH = Map.of(
            "tracked", "tracked culprits come from leakproof-core's tracking (sites growing, owners collected)",
            "tracked-count", "tracked culprits come from leakproof-core's tracking (sites growing, owners collected)",
            "rss", "rss is explained by the heap, direct and native culprits; it has no search of its own",
            "nmt", "nmt is the JVM's own memory (JIT, GC, metaspace, threads); it has no culprit search");

    private final UserCode user;
    private final Path dir;
    private final Set<String> leaking;
    private final Map<String, String> notes = new LinkedHashMap<>();
    private List<Census> censuses = List.of();
    private Recorder recorder;
    private NativeProfile profile;
    private int observations;
    private boolean finished;
    private boolean closed;

    private CulpritCollector(UserCode user, Path dir, Set<String> leaking) {
        this.user = user;
        this.dir = dir;
        this.leaking = Set.copyOf(leaking);
    }

    /**
     * Starts collecting for the given leaking probes: starts the in-process JFR recording with what those probes
     * need and takes the baselines.
     *
     * @param leakingProbes probes judged LEAK ({@code heap}, {@code threads}, {@code fds}, {@code direct},
     *                      {@code native-libs}, ...); unknown names get a note, not an error
     * @param user          which frames are the user's
     * @return the running collector
     * @throws UncheckedIOException when its temporary directory cannot be created
     */
    public static CulpritCollector start(Set<String> leakingProbes, UserCode user) {
        Path dir;
        try {
            dir = Files.createTempDirectory("leakproof-culprits");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the culprit pass's temporary directory", e);
        }
        CulpritCollector c = new CulpritCollector(user, dir, leakingProbes);
        try {
            c.begin();
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Starts the recording, then the profiler, then takes the baselines: what they start is in the baselines. */
    private void begin() {
        String nativeProbe = leaking.contains("native-libs") ? "native-libs" : "native-malloc";
        // one async-profiler session per JVM: a mapped leak's trace of FileChannel.map, or a descriptor leak's trace of
        // FileDescriptor.<init>, goes before a native profile asked for by native-malloc alone (it decides only where
        // native-libs cannot be read, and it is judged, informationally, in every run: held-out rounds 4 and 6 lost
        // their lines to it)
        boolean traceFirst = leaking.contains("mapped") || leaking.contains("fds");
        boolean nativeSearch = leaking.contains("direct") || leaking.contains("native-libs")
                || leaking.contains(nativeProbe) && !traceFirst;
        NativeProfile p = nativeSearch ? new NativeProfile(dir) : null;
        List<Census> list = new ArrayList<>();
        for (String probe : ORDER) {
            if (leaking.contains(probe)) {
                switch (probe) {
                    case "heap" -> list.add(new HeapCensus());
                    case "classes" -> list.add(new MetaspaceCensus("classes"));
                    case "metaspace" -> {
                        if (leaking.contains("classes")) {
                            notes.put(probe, "see classes: one census of class loaders explains both");
                        } else {
                            list.add(new MetaspaceCensus("metaspace"));
                        }
                    }
                    case "threads" -> list.add(new ThreadCensus());
                    case "fds" -> list.add(new FdCensus(dir));
                    case "direct" -> list.add(new DirectCensus(p));
                    case "mapped" -> list.add(new MappedCensus(dir));
                    default -> {
                        if (probe.equals(nativeProbe) && p != null) {
                            list.add(new NativeCensus(probe, p));
                        } else if (probe.equals(nativeProbe)) {
                            notes.put(probe, "not profiled: the pass's one async-profiler session traces "
                                    + (leaking.contains("mapped") ? "FileChannel.map for the mapped leak"
                                            : "FileDescriptor.<init> for the descriptor leak"));
                        }
                    }
                }
            }
        }
        for (String probe : leaking) {
            if (!ORDER.contains(probe)) {
                notes.put(probe, NO_SEARCH.getOrDefault(probe, "no culprit search for probe " + probe));
            } else if (probe.startsWith("native-") && !probe.equals(nativeProbe)) {
                notes.put(probe, "see " + nativeProbe + ": one native profile explains both");
            }
        }
        Set<Recorder.Need> needs = EnumSet.noneOf(Recorder.Need.class);
        for (Census c : list) {
            needs.addAll(c.needs());
        }
        if (!needs.isEmpty()) {
            try {
                recorder = Recorder.start(needs, dir);
            } catch (IllegalStateException e) {
                for (Census c : list) {
                    if (!c.needs().isEmpty()) {
                        notes.put(c.probe(), e.getMessage() + ": no paths and no stacks");
                    }
                }
            }
        }
        if (p != null) {
            profile = p;
            p.start();
        } else {
            // one async-profiler session per JVM: a method trace only when no native profile runs, and one at most,
            // FileChannel.map's before FileDescriptor's (a mapped region has no other source of its site)
            traces(list).stream().findFirst().ifPresent(MethodTrace::start);
        }
        censuses = List.copyOf(list);
        for (Census c : censuses) {
            c.baseline();
        }
    }

    /**
     * One observation at this measured-iteration count; GC has just settled. The soak engine makes four to six:
     * a trend needs at least {@value Trend#MIN_OBSERVATIONS}.
     *
     * @param iteration measured iterations done, ascending from call to call
     * @throws IllegalStateException after {@link #finish} or {@link #close()}
     */
    public void observe(long iteration) {
        checkOpen();
        observations++;
        for (Census c : censuses) {
            c.observe(iteration);
        }
        if (profile != null) {
            profile.mark(iteration);
        }
    }

    /**
     * Stops the recording and returns the culprits, per probe, ranked by share of that probe's growth.
     *
     * @param probeSlopes each leaking probe's measured slope (bytes or count per iteration), to compute shares;
     *                    a probe missing here gets NaN shares
     * @return culprits, grouped by probe (heap, direct, native, threads, fds), largest share first within one
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    public List<SoakCulprit> finish(Map<String, Double> probeSlopes) {
        checkOpen();
        finished = true;
        try {
            if (profile != null) {
                try {
                    profile.stop();             // before the JFR path search, which mallocs
                } catch (IllegalStateException e) {
                    notes.put("native", e.getMessage());
                }
            }
            stopTracing();
            Evidence evidence = Evidence.NONE;
            if (recorder != null) {
                try {
                    evidence = recorder.stop();
                } catch (IOException | RuntimeException e) {
                    notes.put("jfr", "the culprit pass's JFR recording could not be read (" + e
                            + "): culprits have no paths and no stacks");
                }
            }
            List<SoakCulprit> out = new ArrayList<>();
            for (Census c : censuses) {
                double slope = probeSlopes.getOrDefault(c.probe(), Double.NaN);
                List<SoakCulprit> found = new ArrayList<>(c.culprits(slope, evidence, user));
                // culprits with a share first, then by weight (shares are bytes over the probe's slope)
                found.sort(Comparator.comparing((SoakCulprit k) -> Double.isNaN(k.share()))
                        .thenComparing(Comparator.comparingDouble(CulpritCollector::rankWeight).reversed()));
                out.addAll(found);
                String note = c.note();
                if (observations < Trend.MIN_OBSERVATIONS) {
                    note = "only " + observations + " observations: a trend needs " + Trend.MIN_OBSERVATIONS
                            + (note.isEmpty() ? "" : "; " + note);
                } else if (found.isEmpty() && note.isEmpty()) {
                    note = "nothing counted by this probe grew during the culprit pass";
                }
                if (!note.isEmpty()) {
                    notes.putIfAbsent(c.probe(), note);
                }
            }
            out.addAll(0, loadersOnTheHeap(out, probeSlopes.getOrDefault("heap", Double.NaN)));
            return siteByRate(out);
        } finally {
            close();
        }
    }

    /**
     * A descriptor or thread culprit without a stack takes the user frame of another culprit of the pass that
     * grew at the same rate, or at two or three times it or a half or a third of it (a child process: three pipes
     * and one reaper thread; a jar's loader: one class per jar), when exactly one such frame exists: no JDK event
     * records where a descriptor is opened, but the object that owns it was often made at that frame, and a
     * culprit pass keeps one rate per thing it leaks. A heap class none of whose objects JFR sampled takes the frame
     * of another heap class growing by as many objects per iteration (a session kept in a map: its map entry and
     * its boxed key, sampled where the session was put). The note says the frame is inferred, and from what.
     */
    static List<SoakCulprit> siteByRate(List<SoakCulprit> found) {
        List<SoakCulprit> out = new ArrayList<>(found.size());
        for (SoakCulprit c : found) {
            boolean count = c.source().equals("fds") || c.source().equals("threads");
            boolean heapObject = c.source().equals("histogram");
            if (!c.userFrame().isEmpty() || !(count || heapObject) || !(c.perIteration() > 0)) {
                out.add(c);
                continue;
            }
            java.util.Set<String> frames = new java.util.TreeSet<>();
            SoakCulprit from = null;
            // the same rate first; a small multiple only when nothing grew at the same rate (a heap class only from
            // another class of the heap at the same rate: the map entry and key made with it)
            for (double[] ks : count ? new double[][] {{1}, {2, 3, 0.5, 1.0 / 3}} : new double[][] {{1}}) {
                for (SoakCulprit o : found) {
                    if (o != c && !o.userFrame().isEmpty() && o.perIteration() > 0
                            && (count || o.source().equals("histogram") && o.probe().equals(c.probe()))
                            && sameRate(c.perIteration(), o.perIteration(), ks)) {
                        frames.add(o.userFrame());
                        from = o;
                    }
                }
                if (!frames.isEmpty()) {
                    break;
                }
            }
            if (frames.size() > 1 && frames.stream().map(CulpritCollector::method).distinct().count() == 1) {
                // the same method at different lines (the descriptor's owner made at one, a native struct at the
                // next): that method, at its first such line
                String first = frames.stream().min(Comparator.comparingInt(CulpritCollector::line)).orElseThrow();
                for (SoakCulprit o : found) {
                    if (o.userFrame().equals(first)) {
                        from = o;
                    }
                }
                frames = java.util.Set.of(first);
            }
            if (frames.size() != 1) {
                out.add(c);
                continue;
            }
            out.add(new SoakCulprit(c.probe(), c.source(), c.kind(), c.perIteration(), c.bytesPerIteration(),
                    c.share(), c.liveAtEnd(), c.bytesAtEnd(), from.userFrame(), c.stack(), c.path(),
                    c.note() + String.format(Locale.ROOT, "; the user frame is inferred: %s (%s) grew at %.3g per "
                            + "iteration, in step with these (%.3g), and was made there", from.kind(), from.probe(),
                            from.perIteration(), c.perIteration())));
        }
        return List.copyOf(out);
    }

    /** @return a rendered Java frame without its line: {@code pkg.Class.method} */
    private static String method(String frame) {
        int paren = frame.indexOf('(');
        return paren < 0 ? frame : frame.substring(0, paren);
    }

    /** @return a rendered Java frame's line number, or {@code Integer.MAX_VALUE} when it has none */
    private static int line(String frame) {
        int colon = frame.lastIndexOf(':');
        int close = frame.lastIndexOf(')');
        try {
            return colon < 0 || close < colon ? Integer.MAX_VALUE : Integer.parseInt(frame.substring(colon + 1, close));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * The weight a culprit is ranked by among those of its probe: its bytes per iteration (its count per iteration
     * for a count), a JDK class of the heap's histogram {@link HeapCensus#JDK_TILT} lighter than a library's or the
     * user's, so a near tie goes to the class that says more.
     *
     * @param c a culprit
     * @return its weight
     */
    public static double rankWeight(SoakCulprit c) {
        double w = c.bytesPerIteration() != 0 ? c.bytesPerIteration() : c.perIteration();
        return c.source().equals("histogram") && HeapCensus.isJdk(c.kind()) ? w * (1 - HeapCensus.JDK_TILT) : w;
    }

    private static boolean sameRate(double a, double b, double[] ks) {
        for (double k : ks) {
            if (Math.abs(a - k * b) <= 0.05 * a) {
                return true;
            }
        }
        return false;
    }

    /**
     * When the heap leaks along with a class loader's classes, the heap's growth is those loaders: each one kept
     * holds its classes' mirrors, reflection data and module tables, which the histogram shows as many small JDK
     * classes (a {@code ConcurrentHashMap}, {@code Method}s) with no user code near them. The loader is what to
     * fix, so it heads the heap's culprits too.
     */
    private List<SoakCulprit> loadersOnTheHeap(List<SoakCulprit> found, double heapSlope) {
        if (!leaking.contains("heap") || !(heapSlope > 0)) {
            return List.of();
        }
        List<SoakCulprit> out = new ArrayList<>();
        for (SoakCulprit c : found) {
            if (c.source().equals("classes") && c.kind().startsWith(MetaspaceCensus.LOADER_KIND) && c.perIteration() > 0) {
                out.add(new SoakCulprit("heap", "classes", c.kind(), c.perIteration(), heapSlope, Double.NaN,
                        c.liveAtEnd(), 0, c.userFrame(), c.stack(), c.path(), String.format(Locale.ROOT,
                                "the heap grows %.1f B/iteration with these class loaders (about %,.0f bytes per "
                                        + "class defined): each loader kept holds its classes, their reflection data "
                                        + "and module tables, the small JDK classes the histogram lists below",
                                heapSlope, heapSlope / c.perIteration())));
            }
        }
        return out.isEmpty() ? out : List.of(out.getFirst());
    }

    /**
     * @return per probe, why it has no culprit or what its culprits leave out (a native probe's growth that
     *         async-profiler cannot see, a probe with no search); complete after {@link #finish}
     */
    public Map<String, String> notes() {
        return Map.copyOf(notes);
    }

    /** Stops and deletes the recording and the profiler's file if {@link #finish} was not called; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (profile != null) {
            try {
                profile.stop();
            } catch (RuntimeException e) {
                // the profiler failed to stop; there is nothing left to read
            }
        }
        stopTracing();
        if (recorder != null) {
            recorder.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private void stopTracing() {
        traces(censuses).forEach(MethodTrace::stop);
    }

    /** @return the method traces of the censuses that have one, in their order ({@link #ORDER}: mapped first) */
    private static List<MethodTrace> traces(List<Census> censuses) {
        return censuses.stream().map(Census::trace).filter(java.util.Objects::nonNull).toList();
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the culprit collector has finished");
        }
        if (closed) {
            throw new IllegalStateException("the culprit collector is closed");
        }
    }
}
