package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purge of expired entries: explicit sweeps and the background purge, with a fake clock and no sleeps. */
class ExpiryPurgeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private FakeClock clock;

    @BeforeEach
    void clock() {
        clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    private Cluster open() {
        return Cluster.open(dir, ClusterOptions.defaults().withClock(clock).withWorkerThreads(2));
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Three entries that expire in 10 s (two tagged), and a blob, an integer and a deque that never do. */
    private static void fill(Cluster c) {
        c.blob("soon-1").put(b("v"), Expiry.at(Instant.parse("2026-01-01T00:00:10Z")));
        c.blob("soon-1").attachTag("t");
        c.integer("soon-2").put(7);
        c.integer("soon-2").expiresFromNow(Duration.ofSeconds(10));
        c.integer("soon-2").attachTag("t");
        c.blob("soon-3").put(b("v"));
        c.blob("soon-3").expiresFromNow(Duration.ofSeconds(10));
        c.blob("kept").put(b("v"));
        c.blob("kept").attachTag("t");
        c.integer("kept-n").put(1);
        c.deque("kept-q").pushBack(b("e"));
    }

    @Test
    void aSweepPurgesExactlyTheExpiredEntriesByTheClock() throws Exception {
        try (Cluster c = open()) {
            fill(c);
            assertEquals(0, c.purgeExpired(), "nothing has expired yet");
            clock.advance(Duration.ofSeconds(9));
            assertEquals(0, c.purgeExpiredAsync().get(30, TimeUnit.SECONDS));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(3, c.purgeExpired(), "an expiry at now has passed");
            assertEquals(0, c.purgeExpired(), "a second sweep finds nothing left");
            assertEquals(List.of("kept", "kept-n", "kept-q"), c.listAliases("", 100).aliases());
            assertEquals(List.of("kept"), c.tag("t").getEntries());
        }
    }

    @Test
    void aSweepListsPagesOfExpiredEntries() {
        try (Cluster c = open()) {
            for (int i = 0; i < 2_500; i++) {
                c.blob(String.format("e%05d", i)).put(b("v"), Expiry.at(Instant.parse("2026-01-01T00:00:01Z")));
            }
            c.blob("kept").put(b("v"));
            clock.advance(Duration.ofSeconds(2));
            assertEquals(2_500, c.purgeExpired());
            assertEquals(List.of("kept"), c.listAliases("", 100).aliases());
        }
    }

    @Test
    void anEntryRenewedAfterItWasListedIsNotPurged() {
        try (Cluster c = open()) {
            c.blob("x").put(b("old"), Expiry.at(Instant.parse("2026-01-01T00:00:01Z")));
            clock.advance(Duration.ofSeconds(2));
            // the sweep's recheck under the lock sees the replacement
            c.blob("x").update(b("new"));
            assertEquals(0, c.purgeExpired());
            assertEquals("new", new String(c.blob("x").get(), UTF_8));
        }
    }

    @Test
    void theBackgroundPurgeSweepsAtItsIntervalUntilClosed() throws Exception {
        try (Cluster c = open()) {
            fill(c);
            try (ExpiryPurge purge = c.purgeExpiredEvery(Duration.ofMillis(1))) {
                assertTrue(purge.awaitSweeps(1, WAIT));
                assertEquals(0, purge.purged(), "nothing expired before the clock moved");
                long before = purge.sweeps();
                clock.advance(Duration.ofSeconds(10));
                // the sweep after the one that may have been running when the clock moved started after it
                assertTrue(purge.awaitSweeps(before + 2, WAIT));
                assertEquals(3, purge.purged());
                assertEquals(0, c.purgeExpired(), "the background sweeps left nothing to purge");
                assertThrows(IllegalStateException.class, () -> c.purgeExpiredEvery(Duration.ofSeconds(1)),
                        "one purge per cluster");
            }
            try (ExpiryPurge again = c.purgeExpiredEvery(Duration.ofHours(1))) {
                assertTrue(again.awaitSweeps(1, WAIT), "a closed purge makes room for a new one");
            }
        }
    }

    @Test
    void closingTheClusterClosesItsPurge() throws Exception {
        Cluster c = open();
        ExpiryPurge purge = c.purgeExpiredEvery(Duration.ofHours(1));
        assertTrue(purge.awaitSweeps(1, WAIT));
        c.close();
        long sweeps = purge.sweeps();
        assertFalse(purge.awaitSweeps(sweeps + 1, WAIT), "a closed purge reports false at once, not after the wait");
        purge.close();
        assertThrows(ClusterClosedException.class, () -> c.purgeExpiredEvery(Duration.ofSeconds(1)));
        assertThrows(ClusterClosedException.class, c::purgeExpired);
    }

    @Test
    void badIntervalsAreRejected() {
        try (Cluster c = open()) {
            assertThrows(NullPointerException.class, () -> c.purgeExpiredEvery(null));
            assertEquals("interval must be positive, got PT0S",
                    assertThrows(IllegalArgumentException.class, () -> c.purgeExpiredEvery(Duration.ZERO)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.purgeExpiredEvery(Duration.ofSeconds(-1)));
        }
    }
}
