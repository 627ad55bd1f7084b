package dev.leakproof.kv;

import java.util.concurrent.CompletableFuture;

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
}
