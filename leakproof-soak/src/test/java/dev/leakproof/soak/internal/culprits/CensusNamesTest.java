package dev.leakproof.soak.internal.culprits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** How the censuses name what they count: descriptor groups, thread patterns, histogram classes. */
class CensusNamesTest {

    @Test
    void descriptorsAreGroupedByKindAndFilesByDirectoryAndExtension() {
        assertEquals("socket", FdCensus.group("socket:[81234]"));
        assertEquals("pipe", FdCensus.group("pipe:[30805]"));
        assertEquals("anon_inode:[eventpoll]", FdCensus.group("anon_inode:[eventpoll]"));
        assertEquals("anon_inode:inotify", FdCensus.group("anon_inode:inotify"));
        assertEquals("net:[#]", FdCensus.group("net:[4026531840]"));
        assertEquals("/dev/null", FdCensus.group("/dev/null"));
        assertEquals("/tmp/x/*.log", FdCensus.group("/tmp/x/server-2026-11-25.log"));
        assertEquals("/tmp/x/*", FdCensus.group("/tmp/x/LOCK"));
        assertEquals("/tmp/x/*.sst (deleted)", FdCensus.group("/tmp/x/000012.sst (deleted)"));
        assertEquals("/home/u/*", FdCensus.group("/home/u/.profile"));
        assertEquals("file", FdCensus.family("/tmp/x/*.log"));
        assertEquals("pipe", FdCensus.family("pipe"));
        assertEquals("/dev/null", FdCensus.family("/dev/null"));
    }

    @Test
    void aDirectoryHeldOpenIsNamedByItsPath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // a DirectoryStream never closed holds the directory itself: "/tmp/*" would hide which one
        assertEquals(dir + "/", FdCensus.group(dir.toString()));
        assertEquals("file", FdCensus.family(FdCensus.group(dir.toString())));
    }

    @Test
    void threadNamesFoldEachRunOfDigits() {
        assertEquals("worker-#", ThreadCensus.pattern("worker-17"));
        assertEquals("nioEventLoopGroup-#-#", ThreadCensus.pattern("nioEventLoopGroup-3-12"));
        assertEquals("pool-#-thread-#", ThreadCensus.pattern("pool-1-thread-250"));
        assertEquals("#-poller", ThreadCensus.pattern("42-poller"));
        assertEquals("main", ThreadCensus.pattern("main"));
    }

    @Test
    void aThreadGroupKeepsTheDigitsAllItsThreadsShare() {
        assertEquals("H2-serialization", ThreadCensus.named("H#-serialization",
                List.of("H2-serialization", "H2-serialization", "H2-serialization")));
        assertEquals("pool-#-thread-1", ThreadCensus.named("pool-#-thread-#",
                List.of("pool-3-thread-1", "pool-4-thread-1")));
        assertEquals("/tmp/run7/export-#.db", ThreadCensus.named("/tmp/run#/export-#.db",
                List.of("/tmp/run7/export-1.db", "/tmp/run7/export-12.db")));
        assertEquals("worker-#", ThreadCensus.named("worker-#", List.of("worker-17")), "one thread: the fold");
        assertEquals("worker-#", ThreadCensus.named("worker-#", List.of()));
        assertEquals("job##", ThreadCensus.named("job##", List.of("job#1", "job#2")), "a '#' of the name's own");
    }

    @Test
    void histogramLinesGiveJavaClassNamesAndTheHeaderAndTotalAreSkipped() {
        String text = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         12345         678900  [B (java.base@25.0.3)
                   2:           100           2400  [Ljava.util.HashMap$Node; (java.base@25.0.3)
                   3:            10            240  com.example.Session
                   4:             2             64  [[I (java.base@25.0.3)
                Total         12457         681604
                """;
        Map<String, long[]> seen = new HashMap<>();
        HeapCensus.parse(text, (name, instances, bytes) -> seen.put(name, new long[] {instances, bytes}));
        assertEquals(Map.of("byte[]", 12345L, "java.util.HashMap$Node[]", 100L, "com.example.Session", 10L,
                "int[][]", 2L), Map.copyOf(seen.entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[0]))));
        assertEquals(678900L, seen.get("byte[]")[1]);
    }

    @Test
    void thisJvmsHistogramParsesWithTheClassesItHolds() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> instances = new HashMap<>();
        HeapCensus.parse(text, (name, count, bytes) -> instances.merge(name, count, Long::sum));
        assertTrue(instances.getOrDefault("java.lang.String", 0L) > 100, () -> "parsed " + instances.size());
        assertTrue(instances.getOrDefault("byte[]", 0L) > 100, () -> "parsed " + instances.size());
        assertTrue(instances.getOrDefault(CensusNamesTest.class.getName(), 0L) >= 1, "this test's own instance");
    }

    @Test
    void jvmClassNamesBecomeJavaNames() {
        assertEquals("byte[]", Evidence.javaName("[B"));
        assertEquals("long[][]", Evidence.javaName("[[J"));
        assertEquals("java.lang.Object[]", Evidence.javaName("[Ljava.lang.Object;"));
        // a lambda as JFR names it, as the histogram does (held-out UnsubscribeWithNewMethodRef's lambda was never
        // matched to its 93 samples)
        assertEquals("p.T$$Lambda/0x00000000430c7c58", Evidence.javaName("p.T$$Lambda.0x00000000430c7c58"));
        assertEquals("T$$Lambda/0x00000000430c7c58", Evidence.simpleName(Evidence.javaName("p.T$$Lambda.0x00000000430c7c58")));
        assertEquals("java.util.HashMap$Node[]", Evidence.javaName("[Ljava/util/HashMap$Node;"));
        assertEquals("java.lang.String", Evidence.javaName("java.lang.String"));
        assertEquals("HashMap$Node[]", Evidence.simpleName("java.util.HashMap$Node[]"));
    }

    @Test
    void classLoaderStatisticsAreSummedByLoaderClassWithHiddenClassesApart() {
        String text = """
                ClassLoader         Parent              CLD*               Classes   ChunkSz   BlockSz  Type
                0x0000000042040450  0x00000000411c9698  0x00007f6b34100b50       1      6144      4472  p.Leak$1
                0x0000000042040460  0x00000000411c9698  0x00007f6b340fd8c0       2      8192      6000  p.Leak$1
                0x00000000111c9698  0x00000000111c9bb8  0x00007f53780ccc00       2      8192      5840  jdk.internal.loader.ClassLoaders$AppClassLoader
                                                                                10     30720     18000   + hidden classes
                0x0000000000000000  0x0000000000000000  0x00007f5378090c70     861   4456448    279320  <boot class loader>
                Total = 3                                                      874   4498432    304896
                ChunkSz: Total size of all allocated metaspace chunks
                """;
        Map<String, long[]> seen = new HashMap<>();
        MetaspaceCensus.parse(text, (key, classes, bytes, loader) -> {
            long[] v = seen.computeIfAbsent(key, k -> new long[3]);
            v[0] += classes;
            v[1] += bytes;
            v[2] += loader ? 1 : 0;
        });
        assertEquals(4, seen.size(), () -> seen.keySet().toString());
        assertEquals(List.of(3L, 10472L, 2L), asList(seen.get("p.Leak$1")));
        assertEquals(List.of(2L, 5840L, 1L), asList(seen.get("jdk.internal.loader.ClassLoaders$AppClassLoader")));
        assertEquals(List.of(10L, 18000L, 0L),
                asList(seen.get("hidden classes of jdk.internal.loader.ClassLoaders$AppClassLoader")));
        assertEquals(List.of(861L, 279320L, 1L), asList(seen.get("<boot class loader>")));
    }

    private static List<Long> asList(long[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    @Test
    void definedClassNamesFoldHiddenSuffixesAndProxyNumbers() {
        assertEquals("p.Template", dev.leakproof.soak.internal.RepeatedClasses.fold("p.Template/0x0000000016043000"));
        assertEquals("jdk.proxy#.$Proxy#", dev.leakproof.soak.internal.RepeatedClasses.fold("jdk.proxy3.$Proxy12"));
        assertEquals("com.example.Api$Proxy#", dev.leakproof.soak.internal.RepeatedClasses.fold("com.example.Api$Proxy7"));
        assertEquals("com.example.Plain", dev.leakproof.soak.internal.RepeatedClasses.fold("com.example.Plain"));
    }

    @Test
    void classesThePassLoadsForItselfAreItsOwnAndTheUsersAreNot() {
        assertTrue(MetaspaceCensus.isOwn(List.of("java.lang.ClassLoader.defineClass1(ClassLoader.java)",
                "jdk.jfr.internal.ClassInspector.getFirstAnnotation(ClassInspector.java:231)")));
        assertTrue(MetaspaceCensus.isOwn(List.of("java.lang.ClassLoader.loadClass(ClassLoader.java:520)",
                "dev.leakproof.soak.Soak$Run.culpritPass(Soak.java:900)")));
        assertFalse(MetaspaceCensus.isOwn(List.of("java.lang.ClassLoader.defineClass1(ClassLoader.java)",
                "java.lang.reflect.Proxy.newProxyInstance(Proxy.java:1040)", "p.Leak.run(Leak.java:15)",
                "dev.leakproof.soak.Soak$Run.iteration(Soak.java:400)")));
        assertFalse(MetaspaceCensus.isOwn(List.of("java.lang.ClassLoader.defineClass1(ClassLoader.java)",
                "dev.leakproof.soak.internal.culprits.CulpritCollectorTest.lambda$x$1(CulpritCollectorTest.java:9)")));
    }

    @Test
    void repeatedClassesCountOnlyNamesDefinedAgainAndNotWhatTheJdkSpins() {
        String text = """
                KlassAddr           Size  State                 Flags    ClassName
                0x0000000016043000    68  fully_initialized     W        p.Template/0x0000000016043000
                0x0000000016042c00    68  fully_initialized     W        p.Template/0x0000000016042c00
                0x0000000016042800    68  fully_initialized     W        p.Template/0x0000000016042800
                0x0000000016042400    70  fully_initialized     W        jdk.proxy3.$Proxy12
                0x0000000016042000    70  fully_initialized     W        jdk.proxy4.$Proxy13
                0x0000000016041c00    50  fully_initialized              com.example.Plugin
                0x0000000016041800    50  fully_initialized              com.example.Plugin
                0x0000000016041400    50  loaded                         com.example.Other$1
                0x0000000016041000    50  loaded                         com.example.Other$2
                0x0000000016040c00    60  fully_initialized     W        java.lang.invoke.LambdaForm$MH/0x0000000016040c00
                0x0000000016040800    60  fully_initialized     W        java.lang.invoke.LambdaForm$MH/0x0000000016040800
                0x0000000016040400    60  fully_initialized     W        com.example.Other$$Lambda/0x0000000016040400
                0x0000000016040000    60  fully_initialized     W        com.example.Other$$Lambda/0x0000000016040000
                """;
        // two more Templates, one more proxy, one more Plugin; anonymous classes, method-handle forms and lambdas
        // are first loads or the JDK's own
        assertEquals(4, dev.leakproof.soak.internal.RepeatedClasses.repeats(text));
    }

    private static dev.leakproof.soak.SoakResult.SoakCulprit culprit(String probe, String source, String kind,
                                                                    double perIteration, String userFrame) {
        return new dev.leakproof.soak.SoakResult.SoakCulprit(probe, source, kind, perIteration, 0, Double.NaN, 0, 0,
                userFrame, List.of(), List.of(), "no opening stack");
    }

    @Test
    void aDescriptorWithoutStackTakesTheFrameOfTheOneThingThatGrewInStepWithIt() {
        String load = "p.Plugins.load(Plugins.java:78)";
        var jars = culprit("fds", "fds", "/tmp/plugins/*.jar", 0.002, "");
        var loaders = culprit("classes", "classes", "classes of class loader java.net.URLClassLoader", 0.002, load);
        var pipes = culprit("fds", "fds", "pipe", 0.003, "");
        var reaper = culprit("threads", "threads", "process reaper", 0.001, "p.Jobs.spawn(Jobs.java:35)");
        var unrelated = culprit("heap", "histogram", "byte[]", 0.0071, "p.Other.run(Other.java:9)");

        List<dev.leakproof.soak.SoakResult.SoakCulprit> out =
                CulpritCollector.siteByRate(List.of(jars, loaders, pipes, reaper, unrelated));
        assertEquals(load, out.get(0).userFrame());
        assertTrue(out.get(0).note().contains("inferred"), out.get(0).note());
        assertEquals("p.Jobs.spawn(Jobs.java:35)", out.get(2).userFrame(), "three pipes per reaper thread");
        assertEquals(load, out.get(1).userFrame(), "culprits with a frame are kept as they are");

        // two different frames at the rate: ambiguous, nothing inferred
        var other = culprit("heap", "histogram", "p.Jar", 0.002, "p.Elsewhere.run(Elsewhere.java:3)");
        assertEquals("", CulpritCollector.siteByRate(List.of(jars, loaders, other)).getFirst().userFrame());
    }

    @Test
    void twoThingsInStepWithADescriptorAtTwoLinesOfOneMethodGiveThatMethodAtItsFirstLine() {
        // held-out SqliteTenantConnectionsKept: the connection's NativeDB (heap) made at line 27, sqlite's malloc at
        // line 29, both at the descriptors' rate; the database file is opened at line 27
        var dbs = culprit("fds", "fds", "/tmp/tenants/*.db", 0.002, "");
        var heap = culprit("heap", "histogram", "org.sqlite.core.NativeDB", 0.002, "p.TenantDb.open(TenantDb.java:27)");
        var malloc = culprit("native-libs", "native", "malloc", 0.002, "p.TenantDb.open(TenantDb.java:29)");
        var out = CulpritCollector.siteByRate(List.of(dbs, malloc, heap));
        assertEquals("p.TenantDb.open(TenantDb.java:27)", out.getFirst().userFrame());
        assertTrue(out.getFirst().note().contains("org.sqlite.core.NativeDB"), out.getFirst().note());
    }

    @Test
    void aHeapClassWithoutSamplesTakesTheFrameOfTheClassesGrowingByAsManyObjects() {
        // held-out LogoutMissesAfterRolloutAt40: Session unsampled, its map entry and Long key sampled at line 40
        String put = "p.Sessions.run(Sessions.java:40)";
        var session = culprit("heap", "histogram", "p.Sessions$Session", 0.125, "");
        var node = culprit("heap", "histogram", "java.util.HashMap$Node", 0.1257, put);
        var key = culprit("heap", "histogram", "java.lang.Long", 0.125, put);
        var elsewhere = culprit("heap", "histogram", "p.Audit", 0.5, "p.Audit.log(Audit.java:9)");
        var out = CulpritCollector.siteByRate(List.of(session, node, key, elsewhere));
        assertEquals(put, out.getFirst().userFrame());
        assertTrue(out.getFirst().note().contains("inferred"), out.getFirst().note());
        // only the same rate, and only from the heap: a thread at that rate says nothing about a heap class
        var thread = culprit("threads", "threads", "worker-#", 0.125, "p.Pool.grow(Pool.java:3)");
        assertEquals("", CulpritCollector.siteByRate(List.of(session, thread, elsewhere)).getFirst().userFrame());
    }

    @Test
    void aNearTieOnTheHeapGoesToTheLibrarysClassOverAJdkArray() {
        // held-out GuavaEventBusViewsNeverUnregistered: byte[] 1.2% ahead of Guava's subscriber, which has the site
        var bytes = new dev.leakproof.soak.SoakResult.SoakCulprit("heap", "histogram", "byte[]", 0.1, 1.619, 0.351,
                0, 0, "", List.of(), List.of(), "");
        var subscriber = new dev.leakproof.soak.SoakResult.SoakCulprit("heap", "histogram",
                "com.google.common.eventbus.Subscriber$SynchronizedSubscriber", 0.1, 1.600, 0.347, 0, 0,
                "p.Views.run(Views.java:35)", List.of(), List.of(), "");
        assertTrue(CulpritCollector.rankWeight(subscriber) > CulpritCollector.rankWeight(bytes));
        // a clear lead stays a lead
        var more = new dev.leakproof.soak.SoakResult.SoakCulprit("heap", "histogram", "byte[]", 0.1, 2.0, 0.5, 0, 0,
                "", List.of(), List.of(), "");
        assertTrue(CulpritCollector.rankWeight(more) > CulpritCollector.rankWeight(subscriber));
    }

    @Test
    void aDoubledArrayThenAFewBytesMoreIsGrowthInStepsNotATinySlope() {
        // byte[] over a culprit pass of a StringBuilder leaking 5.6 B/iteration (held-out AuditLogStringBuilder):
        // the array doubles once in the pass, and other byte[]s add a few bytes at each observation after it
        double[] x = {0, 50_000, 100_000, 150_000, 200_000};
        double[] y = {2_926_264, 4_008_720, 4_009_008, 4_009_032, 4_009_144};
        Trend t = Trend.of(x, y);
        assertTrue(t.grows(), "a monotone series: its tiny slope is significant");
        assertEquals(HeapCensus.Growth.STEPS, HeapCensus.growth(t, HeapCensus.floor(5.56, 200_000), 5.56));
        // and a class that only creeps is not named
        double[] creep = {1_000_000, 1_000_100, 1_000_200, 1_000_300, 1_000_400};
        assertEquals(HeapCensus.Growth.NONE, HeapCensus.growth(Trend.of(x, creep), HeapCensus.floor(5.56, 200_000),
                5.56));
    }

    @Test
    void jdkClassesAndPrimitiveArraysAreTheJdksAndLibrariesAreNot() {
        assertTrue(HeapCensus.isJdk("byte[]"));
        assertTrue(HeapCensus.isJdk("java.lang.Object[]"));
        assertTrue(HeapCensus.isJdk("java.util.HashMap$Node"));
        assertFalse(HeapCensus.isJdk("org.h2.engine.SessionLocal"));
        assertFalse(HeapCensus.isJdk("com.example.Session[]"));
    }
}
