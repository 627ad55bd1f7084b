package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // scopes and clusters are closed early on purpose, then inspected
class ClusterTest extends DataModelContract {
    @TempDir
    Path dir;
    Cluster cluster;

    @BeforeEach
    void open() {
        cluster = Cluster.open(dir.resolve("db"), ClusterOptions.defaults().withWorkerThreads(2));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Override
    Cluster cluster() {
        return cluster;
    }

    /** A database of its own per test: no prefix needed. */
    @Override
    String ns() {
        return "";
    }

    static Throwable asyncFailure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void anOperationOfTheWrongTypeFails() {
        cluster.integer("n").put(1);
        IncompatibleTypeException e = fails(IncompatibleTypeException.class, 10, () -> cluster.blob("n").get());
        assertTrue(e.getMessage().contains("holds an integer, not a blob"),
                e.getMessage());
        fails(IncompatibleTypeException.class, 10, () -> cluster.blob("n").update(b("x")));
        fails(IncompatibleTypeException.class, 10, () -> cluster.deque("n").pushBack(b("x")));
        fails(IncompatibleTypeException.class, 10, () -> cluster.set("n").insert(b("x")));
        fails(AliasAlreadyExistsException.class, 9, () -> cluster.blob("n").put(b("x")));
        assertEquals(1, cluster.integer("n").get());
    }

    @Test
    void integersAddAndWrapLikeInt64() {
        IntegerEntry n = cluster.integer("counter");
        fails(AliasNotFoundException.class, 8, () -> n.add(1));
        n.put(40);
        assertEquals(42, n.add(2));
        assertEquals(37, n.add(-5));
        assertEquals(37, n.get());
        n.update(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, n.add(1), "sums wrap like int64_t");
        assertEquals(Long.MIN_VALUE, n.get());
    }

    @Test
    void eightThreadsAddingTenThousandTimesEndAtEightyThousand() throws Exception {
        IntegerEntry n = cluster.integer("hot");
        n.put(0);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    n.add(1);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(80_000, n.get());
    }

    @Test
    void concurrentPushBackAndPopFrontNeverLoseNorDuplicate() throws Exception {
        DequeEntry d = cluster.deque("pipe");
        int producers = 2;
        int perProducer = 2_000;
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger popped = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    d.pushBack(b(id + ":" + i));
                }
            }));
        }
        for (int c = 0; c < 2; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (popped.get() < producers * perProducer && System.nanoTime() < deadline) {
                    try {
                        String v = new String(d.popFront(), UTF_8);
                        popped.incrementAndGet();
                        if (!seen.add(v)) {
                            duplicates.incrementAndGet();
                        }
                    } catch (EmptyContainerException | AliasNotFoundException e) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, duplicates.get());
        assertEquals(producers * perProducer, seen.size());
        assertEquals(0, d.size());
    }

    @Test
    void tagsAcrossAllEntryTypes() {
        cluster.blob("b").put(b("v"));
        cluster.integer("i").put(1);
        cluster.deque("d").pushBack(b("x"));
        cluster.set("s").insert(b("x"));
        for (Entry e : List.of(cluster.blob("b"), cluster.integer("i"), cluster.deque("d"), cluster.set("s"))) {
            e.attachTag("all");
            assertTrue(e.hasTag("all"));
            assertFalse(e.hasTag("none"));
        }
        assertEquals(List.of("b", "d", "i", "s"), cluster.tag("all").getEntries());
        fails(TagAlreadySetException.class, 41, () -> cluster.blob("b").attachTag("all"));
        fails(TagNotSetException.class, 42, () -> cluster.blob("b").detachTag("other"));
        fails(AliasNotFoundException.class, 8, () -> cluster.blob("missing").attachTag("all"));
        cluster.blob("b").attachTag("second");
        assertEquals(List.of("all", "second"), cluster.blob("b").getTags());
        cluster.blob("b").detachTag("all");
        assertEquals(List.of("second"), cluster.blob("b").getTags());
        cluster.deque("d").remove();
        assertEquals(List.of("i", "s"), cluster.tag("all").getEntries());
        cluster.deque("d").pushBack(b("again"));
        assertEquals(List.of(), cluster.deque("d").getTags(), "remove deleted the tag links");
        assertEquals(List.of(), cluster.tag("unused").getEntries());
    }

    @Test
    void removeRacingAttachTagNeverLeavesADanglingLink() throws Exception {
        for (int round = 0; round < 200; round++) {
            String alias = "r" + round;
            cluster.blob(alias).put(b("v"));
            CompletableFuture<Void> attach = CompletableFuture.runAsync(() -> {
                try {
                    cluster.blob(alias).attachTag("race");
                } catch (AliasNotFoundException lostTheRace) {
                    // fine: the entry was removed first
                }
            });
            cluster.blob(alias).remove();
            attach.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), cluster.tag("race").getEntries());
        // the raw links: re-creating every alias shows no tag left behind
        for (int round = 0; round < 200; round++) {
            cluster.blob("r" + round).put(b("v"));
            assertEquals(List.of(), cluster.blob("r" + round).getTags(), "r" + round);
        }
    }

    @Test
    void anExpiryInThePastMakesTheEntryAbsentAtOnce() {
        // expiry as time passes, with tags, is tested on a fake clock: ClusterRegressionTest.expiryFollowsTheInjectedClock
        BlobEntry past = cluster.blob("past");
        past.put(b("v"), Expiry.at(Instant.now().minusSeconds(10)));
        fails(AliasNotFoundException.class, 8, past::get);
        past.put(b("fresh")); // the expired entry is gone, so put succeeds
        assertArrayEquals(b("fresh"), past.get());
    }

    @Test
    void expiryPreserveAndReset() {
        Instant at = Instant.now().plusSeconds(3600);
        IntegerEntry n = cluster.integer("n");
        n.put(1, Expiry.at(at));
        assertEquals(Optional.of(Instant.ofEpochMilli(at.toEpochMilli())), n.getExpiry());
        n.update(2, Expiry.PRESERVE);
        assertEquals(Optional.of(Instant.ofEpochMilli(at.toEpochMilli())), n.getExpiry());
        assertEquals(3, n.add(1));
        assertEquals(Optional.of(Instant.ofEpochMilli(at.toEpochMilli())), n.getExpiry(), "add keeps the expiry");
        n.update(4);
        assertEquals(Optional.empty(), n.getExpiry(), "update without PRESERVE resets to never");
        n.expiresAt(at);
        assertEquals(at.toEpochMilli(), n.getExpiry().orElseThrow().toEpochMilli());
        fails(AliasNotFoundException.class, 8, () -> cluster.blob("none").expiresAt(at));
    }

    @Test
    void asyncFormsHaveTheSameSemanticsAndErrors() throws Exception {
        BlobEntry blob = cluster.blob("a");
        blob.putAsync(b("1")).get(10, TimeUnit.SECONDS);
        assertArrayEquals(b("1"), blob.getAsync().get(10, TimeUnit.SECONDS));
        Throwable t = asyncFailure(blob.putAsync(b("2")));
        assertInstanceOf(AliasAlreadyExistsException.class, t);
        assertInstanceOf(AliasNotFoundException.class, asyncFailure(cluster.blob("zz").getAsync()));
        IntegerEntry n = cluster.integer("n");
        n.putAsync(1).get(10, TimeUnit.SECONDS);
        assertEquals(6, n.addAsync(5).get(10, TimeUnit.SECONDS));
        DequeEntry d = cluster.deque("d");
        d.pushBackAsync(b("x")).get(10, TimeUnit.SECONDS);
        assertEquals(1, d.sizeAsync().get(10, TimeUnit.SECONDS));
        assertInstanceOf(OutOfRangeException.class, asyncFailure(d.getAtAsync(5)));
        blob.attachTagAsync("t").get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a"), cluster.tag("t").getEntriesAsync().get(10, TimeUnit.SECONDS));
        // a dependent registered before completion runs on the completion thread; one registered after, on the caller
        List<String> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            threads.add(blob.getAsync().thenApply(v -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
        }
        String caller = Thread.currentThread().getName();
        assertTrue(threads.stream().allMatch(name -> name.equals(caller) || name.endsWith("-completion")), threads::toString);
        assertTrue(threads.stream().anyMatch(name -> name.endsWith("-completion")), threads::toString);
    }

    @Test
    void badInputFailsBeforeAnythingRuns() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> cluster.blob(null));
        assertEquals("alias", npe.getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> cluster.blob("a").put(null)).getMessage());
        assertEquals("tag", assertThrows(NullPointerException.class, () -> cluster.blob("a").attachTag(null)).getMessage());
        assertEquals("expiry", assertThrows(NullPointerException.class,
                () -> cluster.blob("a").put(b("x"), null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cluster.blob("")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cluster.tag("a\0b")).getMessage().contains("NUL"));
        String longName = "é".repeat(513); // 1,026 UTF-8 bytes
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cluster.set(longName)).getMessage()
                .contains("1026 UTF-8 bytes"));
        cluster.blob("x".repeat(1024)).put(b("max")); // exactly the limit is fine
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> cluster.blob("big").put(new byte[Cluster.MAX_VALUE_BYTES + 1])).getMessage().contains("limit"));
        fails(OutOfRangeException.class, 25, () -> cluster.deque("d").getAtAsync(-1));
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.defaults().withOperationTimeout(Duration.ofMillis(10)));
    }

    @Test
    void closeFailsLaterOperationsAndIsIdempotent() throws Exception {
        cluster.blob("kept").put(b("v"));
        cluster.close();
        fails(ClusterClosedException.class, 100, () -> cluster.blob("kept").get());
        assertInstanceOf(ClusterClosedException.class, asyncFailure(cluster.blob("kept").getAsync()));
        cluster.close();
        try (Cluster again = Cluster.open(dir.resolve("db"))) {
            assertArrayEquals(b("v"), again.blob("kept").get(), "reopening sees every completed write");
        }
    }

    @Test
    void closeFailsQueuedAsyncOperationsWithClusterClosed() throws Exception {
        cluster.close();
        try (Cluster c = Cluster.open(dir.resolve("db2"), ClusterOptions.defaults().withWorkerThreads(1))) {
            c.integer("n").put(0);
            List<CompletableFuture<Long>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(c.integer("n").addAsync(1));
            }
            c.close();
            int ok = 0;
            int closed = 0;
            for (CompletableFuture<Long> f : futures) {
                assertTrue(f.isDone(), "close completes every queued future");
                if (f.isCompletedExceptionally()) {
                    assertInstanceOf(ClusterClosedException.class, asyncFailure(f));
                    closed++;
                } else {
                    ok++;
                }
            }
            assertEquals(500, ok + closed);
            try (Cluster again = Cluster.open(dir.resolve("db2"))) {
                assertEquals(ok, again.integer("n").get(), "every completed add survived, no failed one did");
            }
        }
    }
}
