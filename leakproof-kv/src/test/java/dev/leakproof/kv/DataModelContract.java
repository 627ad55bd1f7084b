package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The data model's behaviour that every backend shares, to the message and the error code: a backend's test
 * class extends this and says how its cluster is reached ({@link ClusterTest} on RocksDB, {@link RedisClusterTest}
 * on the local Redis Cluster). What only one backend does stays in its own class.
 */
abstract class DataModelContract {
    /** @return the cluster under test, open */
    abstract Cluster cluster();

    /** @return a prefix that keeps this test's aliases apart from other tests' on a shared cluster */
    abstract String ns();

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static <E extends KvException> E fails(Class<E> type, int code, Executable call) {
        E e = assertThrows(type, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void blobPutGetUpdateRemove() {
        BlobEntry blob = cluster().blob(ns() + "greeting");
        blob.put(b("hello"));
        assertArrayEquals(b("hello"), blob.get());
        fails(AliasAlreadyExistsException.class, 9, () -> blob.put(b("again")));
        blob.update(b("bye"));
        assertArrayEquals(b("bye"), blob.get());
        blob.update(new byte[0]);
        assertArrayEquals(new byte[0], blob.get());
        blob.remove();
        AliasNotFoundException e = fails(AliasNotFoundException.class, 8, blob::get);
        assertTrue(e.getMessage().contains(ns() + "greeting'"), e.getMessage());
        fails(AliasNotFoundException.class, 8, blob::remove);
    }

    @Test
    void dequeOperations() {
        DequeEntry d = cluster().deque(ns() + "q");
        fails(AliasNotFoundException.class, 8, d::size);
        d.pushBack(b("b"));
        d.pushBack(b("c"));
        d.pushFront(b("a"));
        assertEquals(3, d.size());
        assertArrayEquals(b("a"), d.front());
        assertArrayEquals(b("c"), d.back());
        assertArrayEquals(b("b"), d.getAt(1));
        d.setAt(1, b("B"));
        assertArrayEquals(b("B"), d.getAt(1));
        assertEquals(List.of("a", "B", "c"), d.elements().stream().map(x -> new String(x, UTF_8)).toList());
        OutOfRangeException e = fails(OutOfRangeException.class, 25, () -> d.getAt(3));
        assertTrue(e.getMessage().contains("of size 3"), e.getMessage());
        fails(OutOfRangeException.class, 25, () -> d.getAt(-1));
        fails(OutOfRangeException.class, 25, () -> d.setAt(7, b("x")));
        assertArrayEquals(b("a"), d.popFront());
        assertArrayEquals(b("c"), d.popBack());
        assertArrayEquals(b("B"), d.popBack());
        assertEquals(0, d.size(), "an emptied deque still exists");
        fails(EmptyContainerException.class, 26, d::popFront);
        fails(EmptyContainerException.class, 26, d::popBack);
        fails(EmptyContainerException.class, 26, d::front);
        assertEquals(Optional.of(EntryType.DEQUE), cluster().type(ns() + "q"));
        d.remove();
        fails(AliasNotFoundException.class, 8, d::popFront);
        fails(AliasNotFoundException.class, 8, d::size);
    }

    @Test
    void setOperations() {
        SetEntry s = cluster().set(ns() + "s");
        fails(AliasNotFoundException.class, 8, () -> s.contains(b("x")));
        s.insert(b("y"));
        s.insert(b("x"));
        fails(ElementAlreadyExistsException.class, 38, () -> s.insert(b("x")));
        assertTrue(s.contains(b("x")));
        assertFalse(s.contains(b("z")));
        assertEquals(2, s.size());
        assertEquals(List.of("x", "y"), s.members().stream().map(x -> new String(x, UTF_8)).toList());
        s.erase(b("x"));
        fails(ElementNotFoundException.class, 37, () -> s.erase(b("x")));
        assertFalse(s.contains(b("x")));
        assertEquals(1, s.size());
        s.remove();
        fails(AliasNotFoundException.class, 8, () -> s.erase(b("y")));
        s.insert(b("y"));
        assertTrue(s.contains(b("y")), "a removed set starts empty when re-created");
        s.insert(new byte[0]);
        assertTrue(s.contains(new byte[0]));
    }

    /**
     * An attach through the wrong entry type fails and changes nothing, also when the entry already carries the
     * tag (on Redis the failed attach used to drop the tag's index member, so the entry vanished from
     * {@code getEntries} while {@code getTags} still listed the tag; found by the model test).
     */
    @Test
    void anAttachOfTheWrongTypeLeavesTheTagLinkAsItWas() {
        cluster().integer(ns() + "n").put(0);
        cluster().integer(ns() + "n").attachTag(ns() + "z");
        assertThrows(IncompatibleTypeException.class, () -> cluster().deque(ns() + "n").attachTag(ns() + "z"));
        assertThrows(IncompatibleTypeException.class, () -> cluster().blob(ns() + "n").attachTag(ns() + "other"));
        assertEquals(List.of(ns() + "n"), cluster().tag(ns() + "z").getEntries());
        assertEquals(List.of(), cluster().tag(ns() + "other").getEntries());
        assertEquals(List.of(ns() + "z"), cluster().integer(ns() + "n").getTags());
        cluster().integer(ns() + "n").detachTag(ns() + "z");
        assertEquals(List.of(), cluster().tag(ns() + "z").getEntries());
    }
}
