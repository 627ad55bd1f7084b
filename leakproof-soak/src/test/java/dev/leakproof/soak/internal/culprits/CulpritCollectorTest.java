package dev.leakproof.soak.internal.culprits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.Stats;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector on real leaks in this JVM, driven as the soak engine drives it: start, loop the operation,
 * {@code System.gc()} before each observation, finish. Each leak is held in a static of this test and let go
 * after it.
 */
class CulpritCollectorTest {
    private static final UserCode USER = UserCode.of(CulpritCollectorTest.class);
    private static final int OBSERVATIONS = 5;

    /** A session record of some weight, so that it, not the map's nodes, is the largest growing class. */
    record Session(long id, long created, long touched, long a, long b, long c, long d, long e, long f, long g,
                   long h, long i, long j, long k, String user) {
    }

    /** The holder of a registry that is never cleaned: static H → registry → the entries. */
    static final class Holder {
        final Map<Integer, Session> registry = new HashMap<>();
    }

    static final class StaticLeak {
        static Holder H = new Holder();
    }

    record Event(long sequence, long time, long kind, long payload0, long payload1, long payload2, long payload3) {
    }

    private static final List<Event> EVENTS = new ArrayList<>();
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static final List<Object> KEPT = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void letGo() throws Exception {
        StaticLeak.H = new Holder();
        EVENTS.clear();
        KEPT.clear();
        for (AutoCloseable c : OPEN) {
            c.close();
        }
        OPEN.clear();
        release.countDown();
        for (Thread t : started) {
            t.join();
        }
    }

    /** What a pass found: its culprits and notes, and the probe slopes measured the way the engine does. */
    record Pass(List<SoakCulprit> culprits, Map<String, String> notes) {
        List<SoakCulprit> of(String probe) {
            return culprits.stream().filter(c -> c.probe().equals(probe)).toList();
        }
    }

    @FunctionalInterface
    interface Operation {
        void run(int iteration) throws Exception;
    }

    /** Runs a culprit pass over {@code perObservation * 5} iterations, heap slope measured as the heap probe does. */
    private static Pass pass(Set<String> probes, int perObservation, Operation op, Map<String, Double> slopes)
            throws Exception {
        double[] x = new double[OBSERVATIONS];
        double[] heap = new double[OBSERVATIONS];
        try (CulpritCollector c = CulpritCollector.start(probes, USER)) {
            int n = 0;
            for (int o = 0; o < OBSERVATIONS; o++) {
                for (int i = 0; i < perObservation; i++) {
                    op.run(n++);
                }
                System.gc();
                x[o] = n;
                heap[o] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                c.observe(n);
            }
            Map<String, Double> all = new HashMap<>(slopes);
            all.putIfAbsent("heap", Stats.theilSen(x, heap, 0.95).slope());
            return new Pass(c.finish(all), c.notes());
        }
    }

    @Test
    void aRegistryHeldByAStaticFieldNamesTheGrowingClassAndThePathFromThatField() throws Exception {
        Pass p = pass(Set.of("heap"), 30_000, n -> StaticLeak.H.registry.put(n,
                new Session(n, n, n, n, n, n, n, n, n, n, n, n, n, n, "u")), Map.of());

        List<SoakCulprit> heap = p.of("heap");
        assertFalse(heap.isEmpty(), () -> "no heap culprit; notes " + p.notes());
        SoakCulprit top = heap.getFirst();
        assertEquals(Session.class.getName(), top.kind(), () -> "culprits " + heap);
        assertEquals("histogram", top.source());
        assertEquals(1.0, top.perIteration(), 0.05);
        assertTrue(top.bytesPerIteration() >= 120, () -> top.bytesPerIteration() + " B/iteration");
        assertTrue(top.share() > 0.3 && top.share() <= 1, () -> "share " + top.share());
        assertTrue(top.path().contains("static CulpritCollectorTest$StaticLeak.H"), () -> "path " + top.path());
        assertTrue(top.path().contains("CulpritCollectorTest$Holder.registry"), () -> "path " + top.path());
        assertEquals("CulpritCollectorTest$Session", top.path().getLast());
        assertTrue(heap.stream().anyMatch(c -> c.kind().equals("java.util.HashMap$Node")), () -> "culprits " + heap);
    }

    /**
     * @return the caller's line. The tests call it on the line of the allocation or start they check, after it,
     *         to compare with the culprit's frame without writing line numbers down.
     */
    private static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    /** Adds an event, and when asked, reads the line of the allocation. */
    private static void addEvent(long n, int[] line) {
        EVENTS.add(new Event(n, n, n, n, n, n, n)); if (line != null) line[0] = here();
    }

    @Test
    void anUnboundedListNamesItsElementClassAndTheLineThatAddsThem() throws Exception {
        int[] line = new int[1];
        addEvent(-1, line);
        Pass p = pass(Set.of("heap"), 40_000, n -> addEvent(n, null), Map.of());

        SoakCulprit event = p.of("heap").stream().filter(c -> c.kind().equals(Event.class.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no Event culprit in " + p.culprits() + "; " + p.notes()));
        assertEquals(1.0, event.perIteration(), 0.05);
        assertEquals(CulpritCollectorTest.class.getName() + ".addEvent(CulpritCollectorTest.java:" + line[0] + ")",
                event.userFrame(), () -> "stack " + event.stack() + ", note " + event.note());
        assertEquals("CulpritCollectorTest$Event", event.path().getLast(), () -> "path " + event.path());
        assertTrue(event.path().contains("ArrayList.elementData"), () -> "path " + event.path());
        // the shortest path may start at a JIT compiler thread compiling code that reads the static final list
        assertTrue(event.path().contains("static CulpritCollectorTest.EVENTS")
                || event.path().getFirst().contains("CompilerThread") && event.note().contains("JIT"),
                () -> "path " + event.path() + ", note " + event.note());
    }

    private static final List<Object> SAME = new ArrayList<>();
    private static final Object ACK = new Object();

    @Test
    void aListOfOneSharedObjectGrowsItsArrayInStepsAndIsNamed() throws Exception {
        int[] line = new int[1];
        try {
            Pass p = pass(Set.of("heap"), 20_000, n -> {
                SAME.add(ACK); if (n == 0) line[0] = here();
            }, Map.of("heap", 4.0));

            SoakCulprit array = p.of("heap").stream().filter(c -> c.kind().equals("java.lang.Object[]")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Object[] culprit in " + p.culprits() + "; " + p.notes()));
            assertTrue(array.note().startsWith("grows in steps"), array.note());
            assertTrue(array.bytesPerIteration() > 2 && array.bytesPerIteration() < 8, () -> "culprit " + array);
            assertEquals(List.of("ArrayList.elementData", "Object[]"),
                    array.path().subList(array.path().size() - 2, array.path().size()), () -> "path " + array.path());
            // as above: the shortest path may start at a JIT compiler thread compiling code that reads the list,
            // in which case the note says so; otherwise it names the static field
            assertTrue(array.path().contains("static CulpritCollectorTest.SAME")
                    || array.path().getFirst().contains("CompilerThread") && array.note().contains("JIT"),
                    () -> "path " + array.path() + ", note " + array.note());
            assertTrue(array.userFrame().endsWith("(CulpritCollectorTest.java:" + line[0] + ")"),
                    () -> "user frame " + array.userFrame() + " in " + array.stack());
        } finally {
            SAME.clear();
        }
    }

    @Test
    void threadsStartedAndNeverStoppedAreAPatternWithTheirStartingLine() throws Exception {
        int[] line = new int[1];
        Pass p = pass(Set.of("threads"), 6, n -> {
            Thread t = new Thread(this::awaitRelease, "worker-" + (17 + n));
            started.add(t);
            t.start(); if (n == 0) line[0] = here();
        }, Map.of("threads", 1.0));

        List<SoakCulprit> threads = p.of("threads");
        assertEquals(1, threads.size(), () -> "culprits " + threads + "; notes " + p.notes());
        SoakCulprit worker = threads.getFirst();
        assertEquals("worker-#", worker.kind());
        assertEquals(1.0, worker.perIteration(), 1e-9);
        assertEquals(1.0, worker.share(), 1e-9);
        assertEquals(30, worker.liveAtEnd());
        assertTrue(worker.userFrame().startsWith(CulpritCollectorTest.class.getName() + ".lambda$")
                && worker.userFrame().endsWith("(CulpritCollectorTest.java:" + line[0] + ")"),
                () -> "user frame " + worker.userFrame() + " in " + worker.stack());
        assertTrue(worker.note().contains("not daemon"), worker.note());
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void channelsNeverClosedAreGroupedByDirectoryAndExtensionAndPipesAsPipe(@TempDir Path dir) throws Exception {
        Pass p = pass(Set.of("fds"), 4, n -> {
            OPEN.add(FileChannel.open(dir.resolve("segment-" + n + ".log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE));
            Pipe pipe = Pipe.open();
            OPEN.add(pipe.source());
            OPEN.add(pipe.sink());
        }, Map.of("fds", 3.0));

        Map<String, SoakCulprit> byKind = new HashMap<>();
        p.of("fds").forEach(c -> byKind.put(c.kind(), c));
        String files = dir.toRealPath() + "/*.log";
        assertEquals(Set.of(files, "pipe"), byKind.keySet(), () -> "culprits " + p.culprits());
        assertEquals(1.0, byKind.get(files).perIteration(), 1e-9);
        assertEquals(20, byKind.get(files).liveAtEnd());
        assertEquals(2.0, byKind.get("pipe").perIteration(), 1e-9);
        assertEquals(2.0 / 3, byKind.get("pipe").share(), 1e-9);
        SoakCulprit log = byKind.get(files);
        assertTrue(log.note().contains("no opening stack") || log.userFrame().contains("CulpritCollectorTest"),
                () -> "note " + log.note() + ", frame " + log.userFrame());
    }

    /**
     * Descriptors whose owner no JFR sample catches (an asynchronous file channel is a small object) get their
     * opening line from async-profiler's trace of {@code FileDescriptor.<init>}, the site that made descriptor objects
     * at the rate the group grows; the pipes opened beside them, at the same rate, are not taken for their maker.
     */
    @Test
    void descriptorsWithNoSampledOwnerTakeTheLineThatMadeThemAtTheirRate(@TempDir Path dir) throws Exception {
        int[] line = new int[1];
        // native-malloc, judged informationally in every run, may read LEAK beside it: the pass's one async-profiler
        // session still goes to the trace (held-out round 6 lost its line to the native profile)
        Pass p = pass(Set.of("fds", "native-malloc"), 40, n -> {
            if (n % 4 == 0) {
                line[0] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
                OPEN.add(java.nio.channels.AsynchronousFileChannel.open(dir.resolve("seg-" + n + ".log"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            }
            Pipe pipe = Pipe.open(); // a family of its own, opened and closed at four times the rate
            pipe.source().close();
            pipe.sink().close();
        }, Map.of("fds", 0.25));
        List<SoakCulprit> fds = p.of("fds");
        assertFalse(fds.isEmpty(), () -> "no fds culprit; notes " + p.notes());
        SoakCulprit top = fds.getFirst();
        assertEquals(dir.toRealPath() + "/*.log", top.kind(), top::note);
        assertEquals(0.25, top.perIteration(), 0.02, top::note);
        assumeTrue(!top.note().contains("was not traced"), () -> "async-profiler could not trace: " + top.note());
        assertTrue(top.userFrame().contains("CulpritCollectorTest.java:" + line[0]),
                () -> "frame " + top.userFrame() + ", note " + top.note());
        assertTrue(top.note().contains("FileDescriptor"), top::note);
        assertTrue(p.notes().getOrDefault("native-malloc", "").contains("FileDescriptor.<init>"),
                () -> p.notes().toString());
    }

    @Test
    void directBuffersKeptAreNamedWithTheirAllocatingLine() throws Exception {
        int[] line = new int[1];
        Pass p = pass(Set.of("direct"), 200, n -> {
            KEPT.add(ByteBuffer.allocateDirect(4096)); if (n == 0) line[0] = here();
        }, Map.of("direct", 4096.0));

        List<SoakCulprit> direct = p.of("direct");
        assertEquals(1, direct.size(), () -> "culprits " + direct + "; notes " + p.notes());
        SoakCulprit buffers = direct.getFirst();
        // async-profiler sees the malloc under Unsafe.allocateMemory, with NMT's 18-byte header when NMT is on
        assertEquals(4096.0, buffers.bytesPerIteration(), 4096 * 0.01, () -> "culprit " + buffers);
        assertEquals(1.0, buffers.perIteration(), 1e-9);
        assertEquals(1000, buffers.liveAtEnd());
        if (!buffers.note().contains("async-profiler could not")) {        // it runs here: the stack is its
            assertEquals("java.nio.DirectByteBuffer", buffers.kind());
            assertTrue(buffers.stack().contains("os::malloc [libjvm.so]"), () -> "stack " + buffers.stack());
            assertTrue(buffers.userFrame().endsWith("(CulpritCollectorTest.java:" + line[0] + ")"),
                    () -> "user frame " + buffers.userFrame() + " in " + buffers.stack());
        } else {
            assertTrue(Set.of("direct ByteBuffers", "java.nio.DirectByteBuffer").contains(buffers.kind()),
                    buffers::kind);
        }
    }

    /** An interface for proxies: one proxy class per class loader. */
    public interface Service {
        int call();
    }

    /** A loader per proxy, kept: each holds one proxy class in metaspace. */
    private static Object proxyInANewLoader(int[] line) {
        ClassLoader loader = new ClassLoader(CulpritCollectorTest.class.getClassLoader()) {
        };
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {Service.class}, (p, m, a) -> 1); if (line != null) line[0] = here();
        return proxy;
    }

    @Test
    void classLoadersKeptAreNamedByTheirClassWithTheLineThatDefinedTheirClasses() throws Exception {
        int[] line = new int[1];
        KEPT.add(proxyInANewLoader(line));
        Pass p = pass(Set.of("metaspace", "heap"), 20, n -> KEPT.add(proxyInANewLoader(null)),
                Map.of("metaspace", 5000.0));

        List<SoakCulprit> meta = p.of("metaspace");
        assertFalse(meta.isEmpty(), () -> "no metaspace culprit; notes " + p.notes());
        SoakCulprit top = meta.getFirst();
        assertTrue(top.kind().startsWith("classes of class loader " + CulpritCollectorTest.class.getName() + "$"),
                () -> "culprits " + meta);
        assertTrue(top.kind().contains("$Proxy#"), top::kind);
        assertEquals("classes", top.source());
        assertEquals(1.0, top.perIteration(), 0.05, () -> "culprit " + top);
        assertTrue(top.bytesPerIteration() > 1000, () -> "culprit " + top);
        assertTrue(top.userFrame().endsWith("(CulpritCollectorTest.java:" + line[0] + ")"),
                () -> "user frame " + top.userFrame() + " in " + top.stack());
        assertTrue(meta.stream().noneMatch(c -> c.kind().contains("<boot class loader>")),
                () -> "the pass's own JFR classes named: " + meta);
        // the heap's growth is those loaders' graphs (small JDK classes): the loader heads the heap's culprits
        SoakCulprit heap = p.of("heap").getFirst();
        assertEquals(top.kind(), heap.kind(), () -> "heap culprits " + p.of("heap"));
        assertEquals(top.userFrame(), heap.userFrame());
        assertTrue(heap.note().contains("class loaders"), heap::note);
    }

    @Test
    void hiddenClassesKeptAreNamedByTheirTemplateClass() throws Exception {
        byte[] bytes;
        try (var in = Service.class.getResourceAsStream("CulpritCollectorTest$Template.class")) {
            bytes = in.readAllBytes();
        }
        Pass p = pass(Set.of("classes", "metaspace"), 20, n -> KEPT.add(java.lang.invoke.MethodHandles.lookup()
                .defineHiddenClass(bytes, true).lookupClass()), Map.of("classes", 1.0, "metaspace", 2000.0));

        SoakCulprit top = p.of("classes").stream().findFirst()
                .orElseThrow(() -> new AssertionError("no classes culprit; notes " + p.notes()));
        assertEquals(1.0, top.share(), 0.05, () -> "culprit " + top);
        assertEquals(List.of(), p.of("metaspace"), "one census explains both probes");
        assertTrue(p.notes().get("metaspace").contains("see classes"), () -> "notes " + p.notes());
        assertEquals("hidden classes " + Template.class.getName() + " (defined by "
                + CulpritCollectorTest.class.getClassLoader().getClass().getName() + ")", top.kind());
        assertEquals(1.0, top.perIteration(), 0.05, () -> "culprit " + top);
        assertTrue(top.note().contains("no jdk.ClassDefine event for a hidden class"), top::note);
    }

    /** The bytes of hidden classes: a small class of its own. */
    static final class Template {
        int x;

        int next() {
            return x + 1;
        }
    }

    @Test
    void churnThreadsJoinedAndChannelsClosedYieldNoCulprit(@TempDir Path dir) throws Exception {
        Operation clean = n -> {
            List<Session> scratch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                scratch.add(new Session(i, n, n, n, n, n, n, n, n, n, n, n, n, n, "u"));
            }
            Map<Integer, Session> map = new HashMap<>();
            map.put(n, scratch.getLast());
            if (n % 50 == 0) {
                Thread t = new Thread(() -> map.remove(n), "short-" + n);
                t.start();
                t.join();
                try (FileChannel ch = FileChannel.open(dir.resolve("tmp-" + n + ".dat"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[] {1}));
                }
                Pipe pipe = Pipe.open();
                pipe.source().close();
                pipe.sink().close();
            }
        };
        for (int i = 0; i < 5_000; i++) {
            clean.run(i);                     // the engine runs the pass warm
        }
        // slopes as the engine passes them for leaking probes: they enable the search for growth in steps too
        Pass p = pass(Set.of("heap", "threads", "fds", "direct"), 5_000, clean,
                Map.of("heap", 16.0, "threads", 0.01, "fds", 0.01, "direct", 16.0));

        assertEquals(List.of(), p.culprits(), () -> "notes " + p.notes());
        assertTrue(p.notes().get("threads").contains("nothing"), () -> "notes " + p.notes());
    }

    @Test
    void aProbeWithoutSearchAndTooFewObservationsAreNoted() {
        try (CulpritCollector c = CulpritCollector.start(Set.of("tracked", "threads"), USER)) {
            c.observe(10);
            assertEquals(List.of(), c.finish(Map.of()));
            assertTrue(c.notes().get("tracked").contains("leakproof-core"), () -> "notes " + c.notes());
            assertTrue(c.notes().get("threads").startsWith("only 1 observations"), () -> "notes " + c.notes());
            assertThrows(IllegalStateException.class, () -> c.observe(20));
            assertThrows(IllegalStateException.class, () -> c.finish(Map.of()));
        }
    }

    @Test
    void closeWithoutFinishStopsTheRecordingAndASecondCloseDoesNothing() {
        CulpritCollector c = CulpritCollector.start(Set.of("heap", "threads"), USER);
        c.observe(1);
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.observe(2));
    }

    // ---- mapped

    @Test
    void mappedRegionsKeptNameTheirFileAndTheLineThatMapsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("index.hdr");
        java.nio.file.Files.write(file, new byte[4096]);
        List<java.nio.MappedByteBuffer> kept = new ArrayList<>();
        int[] line = new int[1];
        try {
            // native-malloc is judged (informationally) in every run and may read LEAK beside it: the pass's one
            // async-profiler session still goes to the trace of FileChannel.map (held-out round 4 lost its line)
            Pass p = pass(Set.of("mapped", "native-malloc"), 200, n -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    line[0] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
                    kept.add(ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096));
                }
            }, Map.of("mapped", 4096.0));
            List<SoakCulprit> mapped = p.of("mapped");
            assertFalse(mapped.isEmpty(), () -> "no mapped culprit; notes " + p.notes());
            SoakCulprit top = mapped.getFirst();
            assertEquals("mapped file " + file.toRealPath(), top.kind(), top::note);
            assertEquals(1.0, top.perIteration(), 0.05, top::note);
            assertEquals(4096, top.bytesPerIteration(), 200, top::note);
            assumeTrue(!top.note().contains("no file") && p.notes().getOrDefault("mapped", "").isEmpty(),
                    () -> "async-profiler could not trace FileChannel.map here: " + p.notes());
            assertTrue(top.userFrame().contains("CulpritCollectorTest.java:" + line[0]), top::userFrame);
            assertTrue(p.notes().getOrDefault("native-malloc", "").contains("traces FileChannel.map"), () -> p.notes().toString());
        } finally {
            kept.clear();
        }
    }

    // ---- native

    @Test
    @SuppressWarnings("restricted") // the malloc downcall is the point of the test
    void ffmMallocLeakIsNamedByTheDowncallSiteThatReturnedThePointersWithAnEstimate() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle malloc = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle free = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        List<MemorySegment> leaked = new ArrayList<>();
        try {
            Pass p = pass(Set.of("native-libs"), 400, n -> {
                try {
                    leaked.add((MemorySegment) malloc.invokeExact(256L));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }, Map.of("native-libs", 256.0));
            String note = p.notes().getOrDefault("native-libs", "");
            assumeTrue(!note.startsWith("async-profiler could not start"), note);

            // async-profiler cannot see the malloc (no import table between the downcall and libc), but every
            // pointer the downcall returned passed through the traced JDK method, with this lambda on the stack
            SoakCulprit top = p.of("native-libs").getFirst();
            assertEquals("ffm-downcall", top.kind(), () -> p.culprits().toString());
            assertTrue(top.userFrame().contains("CulpritCollectorTest.lambda$ffmMallocLeakIsNamed"), top::userFrame);
            assertEquals(1.0, top.perIteration(), 0.05, top::note);
            assertTrue(top.note().contains("an estimate"), top::note);
            assertTrue(note.contains("invisible") && note.contains("1 FFM downcall site returned native pointers"),
                    note);
        } finally {
            for (MemorySegment m : leaked) {
                free.invokeExact(m);
            }
        }
    }

    @Test
    void deflatersKeptAliveAreNativeCulpritsWithTheirSymbolsAndTheUsersLine() throws Exception {
        int[] line = new int[1];
        Pass p = pass(Set.of("native-libs"), 20, n -> {
            KEPT.add(new Deflater()); if (n == 0) line[0] = here();
        }, Map.of());
        String note = p.notes().getOrDefault("native-libs", "");
        assumeTrue(!note.startsWith("async-profiler could not start"), note);

        List<SoakCulprit> nat = p.of("native-libs");
        SoakCulprit deflate = nat.stream().filter(c -> c.stack().stream().anyMatch(f -> f.startsWith("deflateInit")))
                .findFirst().orElseThrow(() -> new AssertionError("no deflateInit culprit in " + nat + "; " + note));
        assertEquals("native", deflate.source());
        assertEquals("malloc", deflate.kind());
        assertTrue(deflate.stack().stream().anyMatch(f -> f.matches("deflateInit2?_ \\[lib(zip|z)\\.so.*]")),
                () -> "stack " + deflate.stack());
        assertTrue(deflate.userFrame().endsWith("(CulpritCollectorTest.java:" + line[0] + ")"),
                () -> "user frame " + deflate.userFrame() + " in " + deflate.stack());
        // deflateInit2_ makes five allocations (state, window, prev, head, pending buffer): over 256 KB
        assertEquals(5.0, deflate.perIteration(), 0.05, () -> "culprit " + deflate);
        assertTrue(deflate.bytesPerIteration() > 256 * 1024, () -> "culprit " + deflate);
        assertTrue(deflate.note().startsWith("allocated in deflateInit"), deflate.note());
        for (Object d : KEPT) {
            ((Deflater) d).end();
        }
    }
}
