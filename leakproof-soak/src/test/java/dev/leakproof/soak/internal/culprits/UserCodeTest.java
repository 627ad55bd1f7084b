package dev.leakproof.soak.internal.culprits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserCodeTest {
    private static final String HASH_MAP_PUT = "java.util.HashMap.put(HashMap.java:618)";
    private static final String LOOKUP = "com.example.MyService.lookup(MyService.java:41)";

    @Test
    void theFirstFrameOutsideTheJdkIsTheUsers() {
        UserCode user = new UserCode("org.acme.Soaks");
        assertEquals(LOOKUP, user.pick(List.of(HASH_MAP_PUT, "jdk.internal.misc.Unsafe.allocateMemory(Unsafe.java:9)",
                LOOKUP, "org.other.Runner.run(Runner.java:10)")));
    }

    @Test
    void aFrameInTheTargetsPackageWinsOverAnEarlierOutsideFrame() {
        UserCode user = new UserCode("com.example.app.MainSoak");
        assertEquals("com.example.app.Handler.handle(Handler.java:7)", user.pick(List.of(HASH_MAP_PUT, LOOKUP,
                "com.example.app.Handler.handle(Handler.java:7)")));
    }

    @Test
    void wellKnownLibrariesLeakproofAndNativeFramesAreSkipped() {
        UserCode user = new UserCode("");
        assertEquals(LOOKUP, user.pick(List.of("deflateInit2_ [libzip.so]",
                "io.netty.buffer.PooledByteBufAllocator.newDirectBuffer(PooledByteBufAllocator.java:400)",
                "com.github.benmanes.caffeine.cache.BoundedLocalCache.put(BoundedLocalCache.java:2100)",
                "org.rocksdb.RocksDB.get(RocksDB.java:50)", "org.xerial.snappy.Snappy.compress(Snappy.java:1)",
                "com.google.common.collect.Maps.newHashMap(Maps.java:9)",
                "com.fasterxml.jackson.databind.ObjectMapper.readValue(ObjectMapper.java:3)",
                "dev.leakproof.kv.Cluster.open(Cluster.java:80)", LOOKUP)));
    }

    @Test
    void theTargetsPackageWinsEvenInsideLeakproof() {
        UserCode user = new UserCode("dev.leakproof.cli.scenarios.TagEntries");
        assertEquals("dev.leakproof.cli.scenarios.TagEntries.iteration(TagEntries.java:22)", user.pick(List.of(
                "dev.leakproof.kv.Store.take(Store.java:80)",
                "dev.leakproof.cli.scenarios.TagEntries.iteration(TagEntries.java:22)")));
    }

    @Test
    void aLambdaTargetNamesItsPackageAndLambdaProxiesAreNeverPicked() {
        UserCode user = new UserCode("com.example.LeakTest$$Lambda/0x0000000801001234");
        assertEquals("com.example.", user.targetPackage());
        assertEquals("com.example.LeakTest.lambda$leaks$0(LeakTest.java:12)", user.pick(List.of(
                "com.example.LeakTest$$Lambda.0x0000000801001234.run(Unknown Source)",
                "com.example.LeakTest.lambda$leaks$0(LeakTest.java:12)")));
    }

    @Test
    void noUserFrameIsEmpty() {
        assertEquals("", new UserCode("com.example.X").pick(List.of(HASH_MAP_PUT, "malloc [libc.so.6]")));
        assertEquals("", new UserCode("").pick(List.of()));
        assertThrows(NullPointerException.class, () -> new UserCode(null));
    }
}
