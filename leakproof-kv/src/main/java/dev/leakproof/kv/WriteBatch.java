package dev.leakproof.kv;

import java.util.concurrent.CompletableFuture;

/**
 * Writes on several aliases that commit atomically: all of them or none. Made by {@link Cluster#batch()};
 * the writes are collected (arguments checked as each is added), then {@link #commit()} runs them in one
 * RocksDB transaction, in the order added, with the semantics and errors of the single operations. The first
 * failure rolls every write back and is thrown. Every alias is locked before the first write, in byte order,
 * so batches over the same aliases never deadlock.
 * {@snippet :
 * cluster.batch()
 *         .updateBlob("order:17", json)
 *         .add("orders:count", 1)
 *         .pushBack("orders:queue", "17".getBytes(UTF_8))
 *         .commit();
 * }
 * Not thread-safe; commit it once (a second commit throws {@link IllegalStateException}).
 */
public sealed interface WriteBatch permits Entries.Batch {

    /** @param alias a new blob's alias @param value its content @return this batch */
    WriteBatch putBlob(String alias, byte[] value);

    /** @param alias a blob's alias, created or replaced (expiry reset to never) @param value the content @return this batch */
    WriteBatch updateBlob(String alias, byte[] value);

    /** @param alias a new integer's alias @param value its value @return this batch */
    WriteBatch putInteger(String alias, long value);

    /** @param alias an integer's alias, created or replaced @param value its value @return this batch */
    WriteBatch updateInteger(String alias, long value);

    /** @param alias an existing integer @param delta what to add @return this batch */
    WriteBatch add(String alias, long delta);

    /** @param alias a deque, created if absent @param value element added at the back @return this batch */
    WriteBatch pushBack(String alias, byte[] value);

    /** @param alias a set, created if absent @param value element inserted @return this batch */
    WriteBatch insert(String alias, byte[] value);

    /** @param alias an entry of any type, removed with its elements and tag links @return this batch */
    WriteBatch remove(String alias);

    /** @return the number of writes collected */
    int size();

    /**
     * Commits every write, or none.
     *
     * @throws KvException           the first write's error (none of the writes is applied)
     * @throws IllegalStateException if the batch was committed already
     */
    void commit();

    /** @return completes when every write committed, or fails with the first write's error and none applied */
    CompletableFuture<Void> commitAsync();
}
