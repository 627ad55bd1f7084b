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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations of issue 12's second pass: behaviour, errors, async forms. */
class ClusterOperationsTest {
    @TempDir
    Path dir;
    FakeClock clock;
    Cluster cluster;

    @BeforeEach
    void open() {
        clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        cluster = Cluster.open(dir.resolve("db"), ClusterOptions.defaults().withWorkerThreads(2).withClock(clock));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static List<String> strings(List<byte[]> values) {
        return values.stream().map(v -> new String(v, UTF_8)).toList();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void existsAndTypeAnswerWithoutAnException() throws Exception {
        assertFalse(cluster.exists("b"));
        assertEquals(Optional.empty(), cluster.type("b"));
        cluster.blob("b").put(b("v"));
        cluster.integer("i").put(1);
        cluster.deque("d").pushBack(b("x"));
        cluster.set("s").insert(b("x"));
        assertTrue(cluster.exists("b"));
        assertEquals(Optional.of(EntryType.BLOB), cluster.type("b"));
        assertEquals(Optional.of(EntryType.INTEGER), cluster.type("i"));
        assertEquals(Optional.of(EntryType.DEQUE), cluster.type("d"));
        assertEquals(Optional.of(EntryType.SET), cluster.type("s"));
        assertEquals(Optional.of(EntryType.SET), await(cluster.typeAsync("s")));
        assertTrue(await(cluster.existsAsync("i")));
        assertFalse(await(cluster.existsAsync("none")));

        cluster.blob("b").expiresFromNow(Duration.ofSeconds(1));
        assertTrue(cluster.exists("b"));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(cluster.exists("b"), "an expired entry does not exist");
        assertEquals(Optional.empty(), cluster.type("b"));
        cluster.deque("d").remove();
        assertFalse(cluster.exists("d"));
        assertThrows(IllegalArgumentException.class, () -> cluster.exists(""));
        assertThrows(NullPointerException.class, () -> cluster.typeAsync(null));
    }

    @Test
    void setSizeAndMembers() throws Exception {
        SetEntry s = cluster.set("s");
        assertThrows(AliasNotFoundException.class, s::size);
        assertThrows(AliasNotFoundException.class, s::members);
        s.insert(b("b"));
        s.insert(b("a"));
        s.insert(new byte[0]);
        s.insert(new byte[] {(byte) 0xFF});
        assertEquals(4, s.size());
        List<byte[]> members = s.members();
        assertEquals(4, members.size());
        assertArrayEquals(new byte[0], members.get(0));
        assertArrayEquals(b("a"), members.get(1));
        assertArrayEquals(b("b"), members.get(2));
        assertArrayEquals(new byte[] {(byte) 0xFF}, members.get(3), "unsigned byte order");
        s.erase(b("a"));
        assertEquals(3, await(s.sizeAsync()));
        assertEquals(3, await(s.membersAsync()).size());
        cluster.blob("blob").put(b("v"));
        assertInstanceOf(IncompatibleTypeException.class, failure(cluster.set("blob").sizeAsync()));
        assertThrows(IncompatibleTypeException.class, () -> cluster.set("blob").members());
        s.remove();
        s.insert(b("z"));
        assertEquals(List.of("z"), strings(s.members()), "a re-created set starts empty");
    }

    @Test
    void dequeElementsFromFrontToBack() throws Exception {
        DequeEntry d = cluster.deque("d");
        assertThrows(AliasNotFoundException.class, d::elements);
        d.pushBack(b("c"));
        d.pushFront(b("b"));
        d.pushBack(b("d"));
        d.pushFront(b("a"));
        assertEquals(List.of("a", "b", "c", "d"), strings(d.elements()));
        d.popFront();
        d.popBack();
        d.setAt(0, b("B"));
        assertEquals(List.of("B", "c"), strings(await(d.elementsAsync())));
        d.popFront();
        d.popFront();
        assertEquals(List.of(), d.elements(), "an emptied deque has no elements, and still exists");
        cluster.set("s").insert(b("x"));
        assertThrows(IncompatibleTypeException.class, () -> cluster.deque("s").elements());
    }

    @Test
    void listAliasesByPrefixWithPaging() throws Exception {
        for (int i = 0; i < 25; i++) {
            cluster.blob(String.format("user:%02d", i)).put(b("v"));
        }
        cluster.integer("userless").put(1);
        cluster.set("other").insert(b("x"));
        cluster.blob("user:99").put(b("gone"), Expiry.at(clock.instant().plusSeconds(1)));
        clock.advance(Duration.ofSeconds(1));

        AliasPage first = cluster.listAliases("user:", 10);
        assertEquals(10, first.aliases().size());
        assertEquals("user:00", first.aliases().getFirst());
        assertEquals(Optional.of("user:09"), first.next());
        AliasPage second = cluster.listAliases("user:", first.next().get(), 10);
        assertEquals("user:10", second.aliases().getFirst());
        AliasPage third = await(cluster.listAliasesAsync("user:", second.next().get(), 10));
        assertEquals(List.of("user:20", "user:21", "user:22", "user:23", "user:24"), third.aliases(),
                "the expired user:99 is not listed");
        assertEquals(Optional.empty(), third.next());

        List<String> all = new ArrayList<>();
        AliasPage page = cluster.listAliases("", 7);
        while (true) {
            all.addAll(page.aliases());
            if (page.next().isEmpty()) {
                break;
            }
            page = cluster.listAliases("", page.next().get(), 7);
        }
        assertEquals(27, all.size(), all::toString);
        assertEquals("other", all.getFirst());
        assertEquals("userless", all.getLast());
        assertEquals(List.of("user:00"), cluster.listAliases("user:", "a", 1).aliases(), "startAfter before the prefix");
        assertEquals(List.of(), cluster.listAliases("user:", "z", 5).aliases(), "startAfter past the prefix");
        assertEquals(List.of(), cluster.listAliases("nobody", 5).aliases());
        AliasPage exact = cluster.listAliases("user:2", 5);
        assertEquals(5, exact.aliases().size());
        assertEquals(Optional.empty(), cluster.listAliases("user:2", exact.next().orElse("user:24"), 5).next());
        assertThrows(IllegalArgumentException.class, () -> cluster.listAliases("user:", 0));
        assertThrows(IllegalArgumentException.class, () -> cluster.listAliases("user:", Cluster.MAX_PAGE + 1));
        assertThrows(IllegalArgumentException.class, () -> cluster.listAliases("a\0", 1));
        assertThrows(IllegalArgumentException.class, () -> cluster.listAliasesAsync("\uD800", 1));
    }

    @Test
    void multiGetReadsSeveralBlobsAtOnePoint() throws Exception {
        cluster.blob("a").put(b("1"));
        cluster.blob("b").put(b("2"));
        cluster.blob("c").put(b("3"), Expiry.at(clock.instant().plusMillis(1)));
        clock.advance(Duration.ofMillis(1));
        Map<String, byte[]> got = cluster.multiGet(List.of("b", "missing", "a", "c", "b"));
        assertEquals(List.of("b", "a"), List.copyOf(got.keySet()), "present ones, in the order asked, once each");
        assertArrayEquals(b("1"), got.get("a"));
        assertArrayEquals(b("2"), got.get("b"));
        assertEquals(Map.of(), cluster.multiGet(List.of()));
        assertEquals(List.of("a"), List.copyOf(await(cluster.multiGetAsync(List.of("a"))).keySet()));
        cluster.integer("n").put(1);
        IncompatibleTypeException e = assertThrows(IncompatibleTypeException.class,
                () -> cluster.multiGet(List.of("a", "n")));
        assertTrue(e.getMessage().contains("'n' holds an integer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cluster.multiGet(List.of("a", "")));
    }

    @Test
    void aBatchCommitsAllItsWritesOrNone() throws Exception {
        cluster.blob("old").put(b("x"));
        cluster.integer("count").put(10);
        WriteBatch batch = cluster.batch()
                .putBlob("order", b("{}"))
                .updateBlob("old", b("y"))
                .putInteger("n", 5)
                .updateInteger("count", 20)
                .add("count", 2)
                .pushBack("queue", b("order"))
                .insert("ids", b("17"))
                .remove("old");
        assertEquals(8, batch.size());
        batch.commit();
        assertArrayEquals(b("{}"), cluster.blob("order").get());
        assertEquals(5, cluster.integer("n").get());
        assertEquals(22, cluster.integer("count").get());
        assertEquals(List.of("order"), strings(cluster.deque("queue").elements()));
        assertTrue(cluster.set("ids").contains(b("17")));
        assertFalse(cluster.exists("old"));
        assertThrows(IllegalStateException.class, batch::commit);

        // the third write fails: the first two are rolled back
        AliasAlreadyExistsException e = assertThrows(AliasAlreadyExistsException.class, () -> cluster.batch()
                .updateBlob("order", b("changed"))
                .add("count", 100)
                .putBlob("n", b("n is an integer already"))
                .commit());
        assertTrue(e.getMessage().contains("'n'"), e.getMessage());
        assertArrayEquals(b("{}"), cluster.blob("order").get());
        assertEquals(22, cluster.integer("count").get());
        assertInstanceOf(AliasNotFoundException.class, failure(cluster.batch()
                .pushBack("queue", b("second"))
                .remove("never-written")
                .commitAsync()));
        assertEquals(1, cluster.deque("queue").size());
        await(cluster.batch().add("count", 1).add("count", 1).commitAsync());
        assertEquals(24, cluster.integer("count").get(), "two writes on one alias in one batch");
        cluster.batch().commit(); // an empty batch commits nothing
        assertThrows(IllegalArgumentException.class, () -> cluster.batch().putBlob("\uDC00", b("x")));
        assertThrows(NullPointerException.class, () -> cluster.batch().insert("s", null));
    }

    @Test
    void batchesOverTheSameAliasesInOppositeOrdersNeverDeadlock() throws Exception {
        cluster.integer("x").put(0);
        cluster.integer("y").put(0);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean xFirst = t % 2 == 0;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 250; i++) {
                    WriteBatch batch = cluster.batch();
                    if (xFirst) {
                        batch.add("x", 1).add("y", 1);
                    } else {
                        batch.add("y", 1).add("x", 1);
                    }
                    batch.commit();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1000, cluster.integer("x").get());
        assertEquals(1000, cluster.integer("y").get());
    }

    @Test
    void compareAndSwapAndGetAndUpdateOnBlobs() throws Exception {
        BlobEntry blob = cluster.blob("b");
        assertThrows(AliasNotFoundException.class, () -> blob.compareAndSwap(b("a"), b("b")));
        Instant expiry = clock.instant().plusSeconds(60);
        blob.put(b("one"), Expiry.at(expiry));
        assertFalse(blob.compareAndSwap(b("two"), b("three")));
        assertArrayEquals(b("one"), blob.get());
        assertTrue(blob.compareAndSwap(b("one"), b("two")));
        assertArrayEquals(b("two"), blob.get());
        assertEquals(Optional.of(expiry), blob.getExpiry(), "the expiry is kept");
        assertTrue(await(blob.compareAndSwapAsync(b("two"), new byte[0])));
        assertFalse(await(blob.compareAndSwapAsync(b("two"), b("x"))));

        assertArrayEquals(new byte[0], blob.getAndUpdate(v -> b("updated")));
        assertArrayEquals(b("updated"), await(blob.getAndUpdateAsync(v -> {
            v[0] = 'U';
            return v;
        })));
        assertArrayEquals(b("Updated"), blob.get());
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> blob.getAndUpdate(v -> {
            throw new IllegalStateException("the update changed its mind");
        }));
        assertEquals("the update changed its mind", thrown.getMessage());
        assertArrayEquals(b("Updated"), blob.get(), "an update that threw changed nothing");
        assertThrows(NullPointerException.class, () -> blob.getAndUpdate(v -> null));
        assertInstanceOf(IllegalArgumentException.class, failure(blob.getAndUpdateAsync(
                v -> new byte[Cluster.MAX_VALUE_BYTES + 1])));
        assertArrayEquals(b("Updated"), blob.get());
        cluster.integer("n").put(1);
        assertThrows(IncompatibleTypeException.class, () -> cluster.blob("n").getAndUpdate(v -> v));
        assertThrows(NullPointerException.class, () -> blob.compareAndSwap(null, b("x")));
    }

    @Test
    void getAndUpdateFromFourThreadsLosesNoUpdate() throws Exception {
        BlobEntry counter = cluster.blob("counter");
        counter.put(b("0"));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 250; i++) {
                    counter.getAndUpdate(v -> b(Integer.toString(Integer.parseInt(new String(v, UTF_8)) + 1)));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals("1000", new String(counter.get(), UTF_8));
    }

    @Test
    void compareAndSwapAndGetAndUpdateOnIntegers() throws Exception {
        IntegerEntry n = cluster.integer("n");
        n.put(5);
        n.add(2); // the swap compares the sum
        assertFalse(n.compareAndSwap(5, 9));
        assertTrue(n.compareAndSwap(7, 9));
        assertEquals(9, n.get());
        assertTrue(await(n.compareAndSwapAsync(9, 10)));
        assertEquals(10, n.getAndUpdate(v -> v * 3));
        assertEquals(30, await(n.getAndUpdateAsync(Math::negateExact)));
        assertEquals(-30, n.get());
        assertEquals(-29, n.add(1), "adds go on from the swapped value");
        assertThrows(AliasNotFoundException.class, () -> cluster.integer("none").compareAndSwap(0, 1));
    }

    @Test
    void statisticsOfTheDriverAndOfRocksDb() throws Exception {
        ClusterStats before = cluster.stats();
        cluster.blob("a").put(b("v"));
        cluster.blob("a").get();
        assertThrows(AliasNotFoundException.class, () -> cluster.blob("none").get());
        await(cluster.blob("a").getAsync());
        failure(cluster.blob("none").getAsync());
        ClusterStats after = cluster.stats();
        assertEquals(3, after.blockingOperations() - before.blockingOperations());
        assertEquals(2, after.asyncOperations() - before.asyncOperations());
        assertEquals(2, after.failedOperations() - before.failedOperations());
        assertEquals(ClusterOptions.Defaults.MAX_PENDING_OPERATIONS, after.asyncCapacity());
        assertTrue(after.asyncInFlight() >= 0 && after.asyncInFlight() <= after.asyncCapacity());

        assertTrue(cluster.rocksDbProperty("rocksdb.stats").orElseThrow().contains("Compaction"),
                "rocksdb.stats is RocksDB's compaction and level report");
        assertTrue(Long.parseLong(await(cluster.rocksDbPropertyAsync("rocksdb.estimate-num-keys")).orElseThrow()) >= 1);
        assertEquals(Optional.empty(), cluster.rocksDbProperty("rocksdb.no-such-property"));
        assertEquals(Optional.empty(), cluster.rocksDbStatistics(), "off unless asked for");
        try (Cluster withStats = Cluster.open(dir.resolve("stats"), ClusterOptions.defaults().withRocksDbStatistics(true))) {
            withStats.blob("k").put(b("v"));
            withStats.blob("k").get();
            String stats = withStats.rocksDbStatistics().orElseThrow();
            assertTrue(stats.contains("rocksdb.number.keys.written COUNT : 1"), stats);
            assertTrue(await(withStats.rocksDbStatisticsAsync()).orElseThrow().contains("rocksdb.db.get.micros"));
        }
    }
}
