package dev.leakproof.kv;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A byte string under an alias. Values are copied in and out; at most {@link Cluster#MAX_VALUE_BYTES}.
 * {@snippet :
 * BlobEntry b = cluster.blob("greeting");
 * b.put("hello".getBytes(UTF_8));
 * b.update("bye".getBytes(UTF_8), Expiry.at(Instant.now().plusSeconds(60)));
 * byte[] v = b.get();
 * }
 */
public sealed interface BlobEntry extends ExpirableEntry permits Entries.Blob {

    /**
     * Creates the blob, never expiring.
     *
     * @param value the content
     * @throws AliasAlreadyExistsException if the alias exists
     */
    void put(byte[] value);

    /**
     * @param value  the content
     * @param expiry when it expires ({@link Expiry#PRESERVE} means never here)
     * @throws AliasAlreadyExistsException if the alias exists
     */
    void put(byte[] value, Expiry expiry);

    /** Creates or replaces the blob; the expiry is reset to never. @param value the content */
    void update(byte[] value);

    /**
     * Creates or replaces the blob.
     *
     * @param value  the content
     * @param expiry when it expires; {@link Expiry#PRESERVE} keeps the current one
     * @throws IncompatibleTypeException if the alias holds another type
     */
    void update(byte[] value, Expiry expiry);

    /**
     * @return a copy of the content
     * @throws AliasNotFoundException    if the alias does not exist (or expired)
     * @throws IncompatibleTypeException if it holds another type
     */
    byte[] get();

    /** @param value the content @return completes when created */
    CompletableFuture<Void> putAsync(byte[] value);

    /** @param value the content @param expiry when it expires @return completes when created */
    CompletableFuture<Void> putAsync(byte[] value, Expiry expiry);

    /** @param value the content @return completes when written */
    CompletableFuture<Void> updateAsync(byte[] value);

    /** @param value the content @param expiry when it expires @return completes when written */
    CompletableFuture<Void> updateAsync(byte[] value, Expiry expiry);

    /** @return the content */
    CompletableFuture<byte[]> getAsync();

    /**
     * Replaces the content if it equals {@code expected}, atomically (under the entry's lock); the expiry is kept.
     *
     * @param expected    the content it must have now
     * @param replacement the new content
     * @return whether it was replaced
     * @throws AliasNotFoundException    if the alias does not exist (or expired)
     * @throws IncompatibleTypeException if it holds another type
     */
    boolean compareAndSwap(byte[] expected, byte[] replacement);

    /** @param expected the content it must have @param replacement the new content @return whether it was replaced */
    CompletableFuture<Boolean> compareAndSwapAsync(byte[] expected, byte[] replacement);

    /**
     * Replaces the content with {@code update} applied to it, atomically: {@code update} runs under the entry's
     * lock, inside the transaction (on the calling thread, or a worker for the async form), so keep it short
     * and never call the cluster on the same alias from it (that waits for the lock, then times out). What it
     * throws rolls the change back and is rethrown. The expiry is kept.
     *
     * @param update from the current content (a copy it may change) to the new one
     * @return the content before
     * @throws AliasNotFoundException    if the alias does not exist (or expired)
     * @throws IncompatibleTypeException if it holds another type
     * @throws IllegalArgumentException  if {@code update} returns more than {@link Cluster#MAX_VALUE_BYTES}
     * @throws NullPointerException      if {@code update} is null or returns null
     */
    byte[] getAndUpdate(UnaryOperator<byte[]> update);

    /** @param update from the current content to the new one @return the content before */
    CompletableFuture<byte[]> getAndUpdateAsync(UnaryOperator<byte[]> update);
}
