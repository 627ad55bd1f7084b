package dev.leakproof.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Entries that can expire: blobs and integers. Deques, sets and tags never expire. */
public sealed interface ExpirableEntry extends Entry permits BlobEntry, IntegerEntry {

    /**
     * @param instant when the entry expires; past {@code Instant.ofEpochMilli(Long.MAX_VALUE)} (such as
     *                {@link Instant#MAX}) it saturates to that instant
     * @throws AliasNotFoundException    if the entry does not exist
     * @throws IncompatibleTypeException if the alias holds another type
     * @throws IllegalArgumentException  if {@code instant} is not after the epoch
     */
    void expiresAt(Instant instant);

    /** @param instant when the entry expires @return completes when set */
    CompletableFuture<Void> expiresAtAsync(Instant instant);

    /**
     * @param delay how long from now, by the cluster's clock (millisecond precision); zero or negative expires
     *              the entry at once; a delay reaching past {@code Instant.ofEpochMilli(Long.MAX_VALUE)}
     *              saturates to that instant, never overflowing
     * @throws AliasNotFoundException if the entry does not exist
     */
    void expiresFromNow(Duration delay);

    /** @param delay how long from now @return completes when set */
    CompletableFuture<Void> expiresFromNowAsync(Duration delay);

    /**
     * @return when the entry expires, or empty if never
     * @throws AliasNotFoundException if the entry does not exist (or expired)
     */
    Optional<Instant> getExpiry();

    /** @return when the entry expires */
    CompletableFuture<Optional<Instant>> getExpiryAsync();
}
