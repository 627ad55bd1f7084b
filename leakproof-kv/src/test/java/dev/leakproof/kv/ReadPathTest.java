package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The point read of values only on disk after a reopen (SST files, cold block cache), then from the block cache. */
class ReadPathTest {
    @TempDir
    Path dir;

    @Test
    void valuesOnlyOnDiskAreReadThenFromTheBlockCache() {
        byte[] big = new byte[10_000];
        big[9_999] = 7;
        try (Cluster c = Cluster.open(dir)) {
            c.blob("b").put("on disk".getBytes(UTF_8));
            c.blob("big").put(big);
            c.integer("n").put(42);
            c.deque("q").pushBack("x".getBytes(UTF_8));
            c.store().flush(); // into an SST: after the reopen, neither memtable nor block cache holds them
        }
        try (Cluster c = Cluster.open(dir)) {
            String before = c.rocksDbProperty("rocksdb.cur-size-all-mem-tables").orElseThrow();
            assertArrayEquals("on disk".getBytes(UTF_8), c.blob("b").get(), "first read: from disk");
            assertArrayEquals("on disk".getBytes(UTF_8), c.blob("b").get(), "second read: from the block cache");
            assertArrayEquals(big, c.blob("big").get());
            assertEquals(42, c.integer("n").get());
            assertTrue(assertThrows(IncompatibleTypeException.class, () -> c.blob("q").get()).getMessage()
                    .contains("holds a deque, not a blob"));
            assertThrows(AliasNotFoundException.class, () -> c.blob("absent").get());
            assertEquals(before, c.rocksDbProperty("rocksdb.cur-size-all-mem-tables").orElseThrow(),
                    "the reads wrote nothing to the memtable");
        }
    }
}
