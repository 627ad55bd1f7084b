package dev.leakproof.kv.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakproof.kv.AliasNotFoundException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point read that finds an expired blob purges it ("an expired one is purged", Store.read's
 * javadoc and docs/kv.md), as readEntry does for every other read.
 */
class PointReadPurgeTest {
    @TempDir
    Path dir;

    @Test
    void thePointReadOfAnExpiredBlobPurgesIt() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        try (Store store = Store.open(dir, false, 1_000, clock, false)) {
            store.write("soon", Backend.BLOB, "v".getBytes(UTF_8), now.get() + 100, true);
            store.attachTag("soon", Backend.BLOB, "t");
            now.addAndGet(100);
            assertEquals(1, store.expiredAliases(null, 10).size(), "listed as expired before the read");
            assertThrows(AliasNotFoundException.class, () -> store.read("soon", Backend.BLOB));
            assertEquals(List.of(), store.expiredAliases(null, 10), "the read purged the expired entry");
        }
    }

    @Test
    void readEntryPurgesAnExpiredBlobForComparison() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        try (Store store = Store.open(dir, false, 1_000, clock, false)) {
            store.write("soon", Backend.BLOB, "v".getBytes(UTF_8), now.get() + 100, true);
            now.addAndGet(100);
            assertEquals(0, store.typeOf("soon"));
            assertEquals(List.of(), store.expiredAliases(null, 10), "typeOf purged the expired entry");
        }
    }
}
