package dev.leakproof.kv;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;

/**
 * A signed 64-bit integer under an alias. {@link #add(long)} is atomic across threads and processes'
 * operations on the cluster (the sum is computed under the entry's lock and written in the same transaction);
 * sums wrap like {@code int64_t}.
 */
public sealed interface IntegerEntry extends ExpirableEntry permits Entries.Int {

    /** @param value the value @throws AliasAlreadyExistsException if the alias exists */
    void put(long value);

    /** @param value the value @param expiry when it expires @throws AliasAlreadyExistsException if it exists */
    void put(long value, Expiry expiry);

    /** Creates or replaces the integer; expiry reset to never. @param value the value */
    void update(long value);

    /** @param value the value @param expiry when it expires; PRESERVE keeps it */
    void update(long value, Expiry expiry);

    /**
     * @return the value
     * @throws AliasNotFoundException    if the alias does not exist (or expired)
     * @throws IncompatibleTypeException if it holds another type
     */
    long get();

    /**
     * Adds atomically.
     *
     * @param delta what to add (may be negative)
     * @return the new value
     * @throws AliasNotFoundException if the alias does not exist
     */
    long add(long delta);

    /** @param value the value @return completes when created */
    CompletableFuture<Void> putAsync(long value);

    /** @param value the value @param expiry when it expires @return completes when created */
    CompletableFuture<Void> putAsync(long value, Expiry expiry);

    /** @param value the value @return completes when written */
    CompletableFuture<Void> updateAsync(long value);

    /** @param value the value @param expiry when it expires @return completes when written */
    CompletableFuture<Void> updateAsync(long value, Expiry expiry);

    /** @return the value */
    CompletableFuture<Long> getAsync();

    /** @param delta what to add @return the new value */
    CompletableFuture<Long> addAsync(long delta);

    /**
     * Sets the value to {@code replacement} if it is {@code expected}, atomically; the expiry is kept.
     *
     * @param expected    the value it must have now
     * @param replacement the new value
     * @return whether it was replaced
     * @throws AliasNotFoundException    if the alias does not exist (or expired)
     * @throws IncompatibleTypeException if it holds another type
     */
    boolean compareAndSwap(long expected, long replacement);

    /** @param expected the value it must have @param replacement the new value @return whether it was replaced */
    CompletableFuture<Boolean> compareAndSwapAsync(long expected, long replacement);

    /**
     * Sets the value to {@code update} of it, atomically, under the entry's lock (see
     * {@link BlobEntry#getAndUpdate} for what {@code update} may do); the expiry is kept.
     *
     * @param update from the current value to the new one
     * @return the value before
     * @throws AliasNotFoundException if the alias does not exist (or expired)
     */
    long getAndUpdate(LongUnaryOperator update);

    /** @param update from the current value to the new one @return the value before */
    CompletableFuture<Long> getAndUpdateAsync(LongUnaryOperator update);
}
