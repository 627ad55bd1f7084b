package dev.leakproof.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data model on the local Redis Cluster: the same operations, answers and typed errors as on RocksDB. */
@ExtendWith(LocalRedisCluster.class)
class RedisClusterTest extends DataModelContract {
    Cluster cluster;
    /** A fresh namespace per test: the cluster outlives the tests, so aliases must not collide between them. */
    String ns;

    @BeforeEach
    void open() {
        cluster = Cluster.open(LocalRedisCluster.uri(""), ClusterOptions.defaults().withWorkerThreads(2));
        ns = UUID.randomUUID() + "/";
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Override
    Cluster cluster() {
        return cluster;
    }

    @Override
    String ns() {
        return ns;
    }

    @Test
    void anOperationOfTheWrongTypeFailsWithTheSameMessageAsOnRocksDb() {
        cluster.integer(ns + "n").put(1);
        IncompatibleTypeException e = fails(IncompatibleTypeException.class, 10, () -> cluster.blob(ns + "n").get());
        assertTrue(e.getMessage().contains("holds an integer, not a blob"), e.getMessage());
        fails(IncompatibleTypeException.class, 10, () -> cluster.blob(ns + "n").update(b("x")));
        e = fails(IncompatibleTypeException.class, 10, () -> cluster.deque(ns + "n").pushBack(b("x")));
        assertTrue(e.getMessage().contains("holds an integer, not a deque"), e.getMessage());
        e = fails(IncompatibleTypeException.class, 10, () -> cluster.set(ns + "n").insert(b("x")));
        assertTrue(e.getMessage().contains("holds an integer, not a set"), e.getMessage());
        cluster.blob(ns + "b").put(b("x"));
        e = fails(IncompatibleTypeException.class, 10, () -> cluster.integer(ns + "b").add(1));
        assertTrue(e.getMessage().contains("holds a blob, not an integer"), e.getMessage());
        assertEquals(Optional.of(EntryType.INTEGER), cluster.type(ns + "n"));
        assertEquals(Optional.empty(), cluster.type(ns + "none"));
        assertTrue(cluster.exists(ns + "b"));
        assertFalse(cluster.exists(ns + "none"));
    }

    @Test
    void integersAddExactlyOverTheWhole64BitRange() {
        IntegerEntry n = cluster.integer(ns + "n");
        n.put(Long.MAX_VALUE - 2);
        assertEquals(Long.MAX_VALUE, n.add(2));
        assertEquals(Long.MAX_VALUE, n.get());
        n.update(-5);
        assertEquals(-8, n.add(-3));
        assertTrue(n.compareAndSwap(-8, 40));
        assertFalse(n.compareAndSwap(-8, 41));
        assertEquals(40, n.getAndUpdate(v -> v * 2));
        assertEquals(80, n.get());
        fails(AliasNotFoundException.class, 8, () -> cluster.integer(ns + "missing").add(1));
    }

    @Test
    void expiryIsSetOnEveryKeyOfTheEntryAndAPastExpiryRemovesIt() {
        BlobEntry blob = cluster.blob(ns + "e");
        Instant later = Instant.now().plus(Duration.ofHours(1));
        blob.put(b("v"), Expiry.at(later));
        blob.attachTag(ns + "t");
        assertEquals(Optional.of(Instant.ofEpochMilli(later.toEpochMilli())), blob.getExpiry());
        blob.update(b("w"), Expiry.PRESERVE);
        assertEquals(Optional.of(Instant.ofEpochMilli(later.toEpochMilli())), blob.getExpiry());
        blob.expiresAt(Instant.ofEpochMilli(1000));
        fails(AliasNotFoundException.class, 8, blob::get);
        assertFalse(cluster.exists(ns + "e"));
        assertEquals(List.of(), cluster.tag(ns + "t").getEntries());
        blob.put(b("again"));
        assertEquals(Optional.empty(), blob.getExpiry());
        assertEquals(List.of(), blob.getTags(), "the tag link expired with the entry");
    }

    @Test
    void tagsAcrossSlots() {
        List<String> aliases = List.of(ns + "a", ns + "b", ns + "c", ns + "d");
        for (String a : aliases) {
            cluster.blob(a).put(b(a));
            cluster.blob(a).attachTag(ns + "tag");
        }
        fails(TagAlreadySetException.class, 41, () -> cluster.blob(ns + "a").attachTag(ns + "tag"));
        assertEquals(aliases, cluster.tag(ns + "tag").getEntries());
        assertTrue(cluster.blob(ns + "b").hasTag(ns + "tag"));
        cluster.blob(ns + "b").detachTag(ns + "tag");
        fails(TagNotSetException.class, 42, () -> cluster.blob(ns + "b").detachTag(ns + "tag"));
        cluster.blob(ns + "c").remove();
        assertEquals(List.of(ns + "a", ns + "d"), cluster.tag(ns + "tag").getEntries());
        assertEquals(List.of(ns + "tag"), cluster.blob(ns + "a").getTags());
        fails(AliasNotFoundException.class, 8, () -> cluster.blob(ns + "none").attachTag(ns + "tag"));
        assertEquals(List.of(ns + "a", ns + "d"), cluster.tag(ns + "tag").getEntries());
    }

    @Test
    void asyncFormsCompleteWithTheSameValuesAndErrors() throws Exception {
        BlobEntry blob = cluster.blob(ns + "a");
        blob.putAsync(b("v")).get(10, TimeUnit.SECONDS);
        assertArrayEquals(b("v"), blob.getAsync().get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> blob.putAsync(b("w")).get(10, TimeUnit.SECONDS));
        assertEquals(9, assertInstanceOf(AliasAlreadyExistsException.class, e.getCause()).code());
        assertEquals(5, cluster.integer(ns + "n").putAsync(2).thenCompose(v -> cluster.integer(ns + "n").addAsync(3))
                .get(10, TimeUnit.SECONDS));
        e = assertThrows(ExecutionException.class,
                () -> cluster.deque(ns + "none").popFrontAsync().get(10, TimeUnit.SECONDS));
        assertEquals(8, assertInstanceOf(AliasNotFoundException.class, e.getCause()).code());
    }

    @Test
    void listAliasesPagesInByteOrderAcrossAllMasters() {
        for (int i = 0; i < 25; i++) {
            cluster.integer(ns + String.format("k%02d", i)).put(i);
        }
        cluster.blob(ns + "other").put(b("x"));
        AliasPage first = cluster.listAliases(ns + "k", 10);
        assertEquals(10, first.aliases().size());
        assertEquals(ns + "k00", first.aliases().getFirst());
        AliasPage second = cluster.listAliases(ns + "k", first.next().orElseThrow(), 20);
        assertEquals(15, second.aliases().size());
        assertEquals(ns + "k24", second.aliases().getLast());
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void multiGetReadsEachBlobAndRefusesOtherTypes() {
        cluster.blob(ns + "x").put(b("1"));
        cluster.blob(ns + "y").put(b("2"));
        Map<String, byte[]> got = cluster.multiGet(List.of(ns + "x", ns + "missing", ns + "y"));
        assertEquals(List.of(ns + "x", ns + "y"), List.copyOf(got.keySet()));
        assertArrayEquals(b("2"), got.get(ns + "y"));
        cluster.integer(ns + "i").put(1);
        fails(IncompatibleTypeException.class, 10, () -> cluster.multiGet(List.of(ns + "x", ns + "i")));
    }

    @Test
    void aBatchOnOneHashTagIsAtomic() {
        String user = "{" + ns + "user}";
        cluster.blob(user + ".name").put(b("ann"));
        WriteBatch ok = cluster.batch().putInteger(user + ".visits", 1).add(user + ".visits", 2)
                .pushBack(user + ".log", b("in")).insert(user + ".roles", b("admin")).remove(user + ".name");
        ok.commit();
        assertEquals(3, cluster.integer(user + ".visits").get());
        assertEquals(1, cluster.deque(user + ".log").size());
        assertFalse(cluster.exists(user + ".name"));
        // the last write fails: nothing of the batch is written
        WriteBatch bad = cluster.batch().putInteger(user + ".fresh", 1).insert(user + ".roles", b("admin"));
        ElementAlreadyExistsException e = fails(ElementAlreadyExistsException.class, 38, bad::commit);
        assertTrue(e.getMessage().contains(".roles'"), e.getMessage());
        assertFalse(cluster.exists(user + ".fresh"), "a failed batch writes nothing");
    }

    /** The documented difference: RocksDB commits a batch over any aliases; Redis Cluster refuses one across slots. */
    @Test
    void aBatchAcrossHashSlotsIsRefusedBeforeAnyWrite() {
        WriteBatch batch = cluster.batch().putBlob(ns + "p", b("1")).putBlob(ns + "q", b("2"))
                .putBlob(ns + "r", b("3"));
        CrossSlotException e = fails(CrossSlotException.class, 107, batch::commit);
        assertTrue(e.getMessage().contains("common hash tag"), e.getMessage());
        assertFalse(cluster.exists(ns + "p"));
        assertFalse(cluster.exists(ns + "q"));
    }

    /** The documented difference: RocksDB's add wraps like int64_t; Redis's HINCRBY refuses to overflow. */
    @Test
    void anAddThatWouldOverflowIsRefusedAndLeavesTheValue() {
        IntegerEntry n = cluster.integer(ns + "n");
        n.put(Long.MAX_VALUE);
        OutOfRangeException e = fails(OutOfRangeException.class, 25, () -> n.add(1));
        assertTrue(e.getMessage().contains("would overflow"), e.getMessage());
        assertEquals(Long.MAX_VALUE, n.get());
    }

    /**
     * The tag index is repaired lazily: an entry that vanished behind the driver's back (as on expiry) is never
     * returned, and its index member is dropped once older than the grace period of the injected clock.
     */
    @Test
    void aStaleTagIndexMemberIsFilteredAtOnceAndRemovedAfterTheGracePeriod() {
        FakeClock clock = new FakeClock(Instant.now());
        try (Cluster c = Cluster.open(LocalRedisCluster.uri(""), ClusterOptions.defaults().withClock(clock))) {
            c.blob(ns + "gone").put(b("x"));
            c.blob(ns + "gone").attachTag(ns + "t");
            c.blob(ns + "kept").put(b("y"));
            c.blob(ns + "kept").attachTag(ns + "t");
            // delete the entry's keys directly, leaving its index member behind
            String entryKey = "{" + ns + "gone}e:" + ns + "gone";
            String aliasTags = "{" + ns + "gone}a:" + ns + "gone";
            String index = "{" + ns + "t}t:" + ns + "t";
            assertEquals(List.of("1"), LocalRedisCluster.cli(7101, "-c", "DEL", entryKey));
            assertEquals(List.of("1"), LocalRedisCluster.cli(7101, "-c", "DEL", aliasTags));
            assertEquals(List.of(ns + "kept"), c.tag(ns + "t").getEntries());
            assertEquals(List.of("2"), LocalRedisCluster.cli(7101, "-c", "HLEN", index), "kept within the grace period");
            clock.advance(Duration.ofMinutes(5));
            assertEquals(List.of(ns + "kept"), c.tag(ns + "t").getEntries());
            assertEquals(List.of("1"), LocalRedisCluster.cli(7101, "-c", "HLEN", index), "repaired");
        }
    }

    /**
     * A second attach of a tag the entry carries fails, after rewriting the tag index's member with its own
     * generation; the entry side used to keep the old one, so a later detach, which removes the member only at the
     * entry's generation, left the member in the index for good (found by the model test's clean-up).
     */
    @Test
    void aRepeatedAttachThenDetachLeavesNoTagIndexMemberBehind() {
        try (Cluster c = Cluster.open(LocalRedisCluster.uri(""))) {
            c.blob(ns + "twice").put(b("x"));
            c.blob(ns + "twice").attachTag(ns + "t2");
            assertThrows(TagAlreadySetException.class, () -> c.blob(ns + "twice").attachTag(ns + "t2"));
            c.blob(ns + "twice").detachTag(ns + "t2");
            String index = "{" + ns + "t2}t:" + ns + "t2";
            assertEquals(List.of("0"), LocalRedisCluster.cli(7101, "-c", "HLEN", index), "no member left behind");
            assertEquals(List.of(), c.tag(ns + "t2").getEntries());
        }
    }

    /** A thousand async operations in flight: each future completes with its own reply or its own typed error. */
    @Test
    void manyAsyncOperationsInFlightEachCompleteWithTheirOwnOutcomeAndLeaveNothingLive() throws Exception {
        dev.leakproof.core.LeakReport leaks;
        try (dev.leakproof.core.LeakScope scope = dev.leakproof.core.Tracking.openScope("redis async")) {
            try (Cluster c = Cluster.open(LocalRedisCluster.uri(""), ClusterOptions.defaults().withWorkerThreads(1))) {
                for (int i = 0; i < 500; i += 2) {
                    c.blob(ns + i).put(b("old"));
                }
                List<java.util.concurrent.CompletableFuture<Void>> puts = new java.util.ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    puts.add(c.blob(ns + i).putAsync(b("v" + i)));
                }
                for (int i = 0; i < 500; i++) {
                    if (i % 2 == 0) {
                        ExecutionException e = assertThrows(ExecutionException.class,
                                puts.get(i)::get, "put " + i + " of an existing alias");
                        assertEquals(9, assertInstanceOf(AliasAlreadyExistsException.class, e.getCause()).code());
                    } else {
                        puts.get(i).get(30, TimeUnit.SECONDS);
                    }
                }
                List<java.util.concurrent.CompletableFuture<byte[]>> gets = new java.util.ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    gets.add(c.blob(ns + i).getAsync());
                }
                for (int i = 0; i < 500; i++) {
                    assertArrayEquals(b(i % 2 == 0 ? "old" : "v" + i), gets.get(i).get(30, TimeUnit.SECONDS));
                }
            }
            scope.close();
            leaks = scope.leaks();
        }
        assertTrue(leaks.isEmpty(), leaks.toText());
    }
}
