package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point write (a blob's or integer's put and update without a transaction, under the entry's stripe): the
 * checks of the transaction path, the entries it must leave to a transaction, and its exclusion of the
 * transactions that lock the same entry.
 */
class PointWriteTest {
    @TempDir
    Path dir;

    @Test
    void putsAndUpdatesKeepTheirChecks() {
        try (Cluster c = Cluster.open(dir)) {
            c.blob("b").put(b("one"));
            assertThrows(AliasAlreadyExistsException.class, () -> c.blob("b").put(b("two")));
            c.blob("b").update(b("three"));
            assertArrayEquals(b("three"), c.blob("b").get());
            c.integer("n").put(5);
            assertTrue(assertThrows(IncompatibleTypeException.class, () -> c.blob("n").update(b("x"))).getMessage()
                    .contains("holds an integer, not a blob"));
            assertThrows(IncompatibleTypeException.class, () -> c.integer("b").update(1));
            c.deque("q").pushBack(b("e"));
            assertThrows(IncompatibleTypeException.class, () -> c.blob("q").update(b("x")));
            assertEquals(5, c.integer("n").get(), "a refused write changed nothing");
            c.blob("fresh").update(b("created by update"));
            assertArrayEquals(b("created by update"), c.blob("fresh").get());
        }
    }

    @Test
    void anUpdateKeepsOrReplacesTheExpiryAsAsked() {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant at = Instant.parse("2026-01-01T01:00:00Z");
        try (Cluster c = Cluster.open(dir, ClusterOptions.defaults().withClock(clock))) {
            BlobEntry blob = c.blob("b");
            blob.put(b("v"), Expiry.at(at));
            blob.update(b("w"), Expiry.PRESERVE);
            assertEquals(Optional.of(at), blob.getExpiry());
            blob.update(b("x"));
            assertEquals(Optional.empty(), blob.getExpiry(), "update without an expiry: never");
        }
    }

    @Test
    void valuesLargerThanTheThreadsBufferAreWrittenWhole() {
        try (Cluster c = Cluster.open(dir)) {
            for (int n : new int[] {0, 1, 4_086, 4_087, 4_088, 100_000}) {
                byte[] v = new byte[n];
                ThreadLocalRandom.current().nextBytes(v);
                c.blob("b").update(v);
                assertArrayEquals(v, c.blob("b").get(), n + " bytes");
            }
        }
    }

    @Test
    void anExpiredEntryIsPurgedWithItsTagLinksBeforeTheWrite() {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Cluster c = Cluster.open(dir, ClusterOptions.defaults().withClock(clock))) {
            BlobEntry soon = c.blob("soon");
            soon.put(b("v"), Expiry.at(clock.instant().plusMillis(100)));
            soon.attachTag("t");
            clock.advance(Duration.ofMillis(100));
            soon.update(b("again")); // nothing read it since it expired: the write itself must purge it
            assertEquals(List.of(), soon.getTags(), "the expired entry's tag links went with it");
            assertEquals(List.of(), c.tag("t").getEntries());
            c.integer("soon-int").put(1, Expiry.at(clock.instant().plusMillis(100)));
            clock.advance(Duration.ofMillis(100));
            c.integer("soon-int").put(2); // a put of an expired alias is a put of an absent one
            assertEquals(2, c.integer("soon-int").get());
        }
    }

    /**
     * A transaction that reads an entry and writes it back whole (setting its expiry) races one thread's updates
     * of the same blob: each update must be read back by its own thread. Without the stripes, a transaction that
     * read the value before a point write commits it back after, and the update is lost.
     */
    @Test
    void noUpdateIsLostToATransactionThatReadTheEntryBeforeIt() throws Exception {
        try (Cluster c = Cluster.open(dir); ExecutorService pool = Executors.newSingleThreadExecutor()) {
            BlobEntry blob = c.blob("b");
            blob.put(b("0"));
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            Future<Integer> expiries = pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    blob.expiresFromNow(Duration.ofHours(1));
                    n++;
                    running.countDown();
                }
                return n;
            });
            try {
                assertTrue(running.await(30, java.util.concurrent.TimeUnit.SECONDS), "the racing transactions began");
                for (int i = 1; i <= 20_000; i++) {
                    blob.update(b(Integer.toString(i)), Expiry.PRESERVE);
                    assertEquals(Integer.toString(i), new String(blob.get(), UTF_8), "update " + i + " was lost");
                }
            } finally {
                stop.set(true);
            }
            assertTrue(expiries.get() > 0);
        }
    }

    /**
     * Updates race tag changes, removals and re-creations of the same aliases from other threads; at the end, both
     * sides of every tag link agree. (The point write touches no tag link, so this checks the fallback paths and the
     * transactions among themselves; the stripes are checked by the lost-update test above.)
     */
    @Test
    void pointWritesRacingTransactionsOnTheSameEntriesLeaveTagLinksConsistent() throws Exception {
        int threads = 6;
        int rounds = 3_000;
        List<String> aliases = List.of("a", "b", "c");
        try (Cluster c = Cluster.open(dir); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < rounds; i++) {
                        BlobEntry e = c.blob(aliases.get(r.nextInt(aliases.size())));
                        try {
                            switch (me % 3) {
                                case 0 -> e.update(b("v" + i));
                                case 1 -> {
                                    if (r.nextBoolean()) {
                                        e.attachTag("t" + r.nextInt(3));
                                    } else {
                                        e.detachTag("t" + r.nextInt(3));
                                    }
                                }
                                default -> {
                                    if (r.nextInt(4) == 0) {
                                        e.remove();
                                    } else {
                                        e.put(b("p" + i));
                                    }
                                }
                            }
                        } catch (AliasNotFoundException | AliasAlreadyExistsException | TagAlreadySetException
                                 | TagNotSetException expected) {
                            // the race decided the order; each is one of the model's outcomes
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (int t = 0; t < 3; t++) {
                String tag = "t" + t;
                Set<String> indexed = new TreeSet<>(c.tag(tag).getEntries());
                Set<String> carried = new TreeSet<>();
                for (String a : aliases) {
                    if (c.exists(a) && c.blob(a).getTags().contains(tag)) {
                        carried.add(a);
                    }
                }
                assertEquals(carried, indexed, "tag " + tag + ": the entries that carry it and its index");
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }
}
