package dev.leakproof.soak.internal.culprits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
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
        assertEquals("java.util.HashMap$Node[]", Evidence.javaName("[Ljava/util/HashMap$Node;"));
        assertEquals("java.lang.String", Evidence.javaName("java.lang.String"));
        assertEquals("HashMap$Node[]", Evidence.simpleName("java.util.HashMap$Node[]"));
    }
}
