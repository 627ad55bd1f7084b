package dev.leakproof.kv.internal;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The storage engine under {@link dev.leakproof.kv.Cluster}: the 2015 addon's data model as a set of blocking
 * operations. The cluster checks arguments, counts operations and runs them on the caller's thread or a
 * worker; a backend only stores. Two implement it: {@link Store} (embedded RocksDB, the default) and the
 * Redis Cluster backend in {@code dev.leakproof.kv.internal.redis}.
 *
 * <p>Every failure is a {@link dev.leakproof.kv.KvException} subclass with the same code on every backend.
 * Aliases and tags arrive checked (1 to 1,024 UTF-8 bytes, no NUL, well-formed); values are at most
 * {@link dev.leakproof.kv.Cluster#MAX_VALUE_BYTES}. Methods may be called from many threads at once.
 */
public interface Backend extends AutoCloseable {
    byte BLOB = 1;
    byte INTEGER = 2;
    byte DEQUE = 3;
    byte SET = 4;
    /** Expiry value meaning "never". */
    long NEVER = 0;
    /** Expiry argument meaning "keep the current expiry" (update only). */
    long PRESERVE = -1;

    /** Releases every native object; the caller guarantees no operation runs. A second call does nothing. */
    @Override
    void close();

    /**
     * Creates or replaces a blob or integer.
     *
     * @param mustBeNew true for put (fails if the alias exists), false for update
     * @param expiry    millis since the epoch, {@link #NEVER}, or {@link #PRESERVE} (update)
     */
    void write(String alias, byte type, byte[] payload, long expiry, boolean mustBeNew);

    /** @return the payload of a blob or integer (8 bytes, big-endian, for an integer) */
    byte[] read(String alias, byte type);

    /**
     * Lists the aliases of entries expired at the clock's now, after {@code startAfter} (null: from the first),
     * for a purge sweep. A backend whose store deletes expired entries itself (Redis, which expires every key of
     * an entry) has none to list.
     *
     * @param limit at most this many
     * @return the aliases, as UTF-8 bytes
     */
    default List<byte[]> expiredAliases(byte[] startAfter, int limit) {
        return List.of();
    }

    /**
     * Purges the entry under {@code alias} if it is still expired, judged under its lock.
     *
     * @return whether it purged it; false where {@link #expiredAliases} lists none
     */
    default boolean purgeIfExpired(byte[] alias) {
        return false;
    }

    /**
     * The alias's key as this backend stores it, encoded once by an entry for its reads, or null where the
     * backend has no use for it.
     */
    default byte[] encodeKey(String alias) {
        return null;
    }

    /**
     * {@link #read(String, byte)} with the key {@link #encodeKey} made before, for a backend whose read path
     * saves the encoding.
     */
    default byte[] read(byte[] key, String alias, byte type) {
        return read(alias, type);
    }

    /** @return the expiry millis, or {@link #NEVER} */
    long expiry(String alias, byte type);

    /** Sets the expiry of an existing blob or integer. */
    void setExpiry(String alias, byte type, long expiry);

    /** Adds atomically to an integer. @return the new value */
    long add(String alias, long delta);

    /** Removes an entry of the given type with its elements and tag links. */
    void remove(String alias, byte type);

    /** Appends at the front or the back, creating the deque if needed. @return the new size */
    long push(String alias, byte[] element, boolean front);

    /** Removes and returns the front or back element. */
    byte[] pop(String alias, boolean front);

    /** @return the front or back element, without removing it */
    byte[] dequeEnd(String alias, boolean front);

    /** @return the element at {@code index} from the front */
    byte[] dequeGet(String alias, long index);

    /** Replaces the element at {@code index}. */
    void dequeSet(String alias, long index, byte[] element);

    /** @return the deque's size */
    long dequeSize(String alias);

    /** @return the elements of a deque from front to back, one consistent view */
    List<byte[]> dequeElements(String alias);

    /** Inserts, creating the set if needed. */
    void setInsert(String alias, byte[] element);

    /** Erases an element. */
    void setErase(String alias, byte[] element);

    /** @return whether the set contains the element */
    boolean setContains(String alias, byte[] element);

    /** @return the number of elements of a set */
    long setSize(String alias);

    /** @return the elements of a set in byte order, one consistent view */
    List<byte[]> setMembers(String alias);

    /** Attaches a tag to an existing entry of the given type. */
    void attachTag(String alias, byte type, String tag);

    /** Detaches a tag. */
    void detachTag(String alias, byte type, String tag);

    /** @return whether the live entry has the tag */
    boolean hasTag(String alias, byte type, String tag);

    /** @return the entry's tags in byte order */
    List<String> tags(String alias, byte type);

    /** @return aliases of the live entries carrying the tag, in byte order */
    List<String> entries(String tag);

    /** @return the type of the live entry under {@code alias} ({@link #BLOB} … {@link #SET}), or 0 if there is none */
    byte typeOf(String alias);

    /**
     * Lists live aliases starting with {@code prefix}, after {@code startAfter} (exclusive, or from the first
     * when null), in UTF-8 byte order.
     *
     * @param limit at most this many
     * @param more  set to whether a key follows the last one returned (a next page may exist)
     * @return the aliases
     */
    List<String> aliases(String prefix, String startAfter, int limit, boolean[] more);

    /**
     * Reads several blobs.
     *
     * @return each alias's blob, or null where there is none (or it expired)
     * @throws dev.leakproof.kv.IncompatibleTypeException if an alias holds another type
     */
    List<byte[]> multiGet(List<String> aliases);

    /**
     * Replaces a blob's or integer's payload if it equals {@code expected}; the expiry is kept.
     *
     * @return whether it was replaced
     */
    boolean compareAndSwap(String alias, byte type, byte[] expected, byte[] replacement);

    /**
     * Replaces a blob's or integer's payload with {@code update} of it, atomically; the expiry is kept. What
     * {@code update} throws leaves the entry unchanged.
     *
     * @param check checks what {@code update} returned (size, null)
     * @return the payload before
     */
    byte[] getAndUpdate(String alias, byte type, UnaryOperator<byte[]> update, UnaryOperator<byte[]> check);

    /** Runs the writes as one batch (see each backend for its atomicity). */
    void batch(List<BatchOp> ops);

    /** @return a property of the engine, or null if it has none of that name */
    String property(String name);

    /** @return the engine's statistics text, or null when it collects none */
    String statistics();
}
