package dev.leakproof.kv;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What every entry can do. Each operation has a blocking form, which calls RocksDB on the caller's
 * thread (the fast path, good on virtual threads), and an {@code …Async} form, which runs on the cluster's
 * work queue and completes its future on the queue's completion thread; both have the same semantics and
 * errors. Arguments are checked before anything runs: null throws {@link NullPointerException} naming the
 * parameter; a bad tag throws {@link IllegalArgumentException}.
 */
public sealed interface Entry permits ExpirableEntry, DequeEntry, SetEntry {

    /** @return the entry's alias */
    String alias();

    /**
     * Attaches a tag.
     *
     * @param tag 1 to 1,024 UTF-8 bytes, no NUL
     * @throws AliasNotFoundException     if the entry does not exist
     * @throws IncompatibleTypeException  if the alias holds another type
     * @throws TagAlreadySetException     if the entry already has the tag
     */
    void attachTag(String tag);

    /** @param tag the tag @return completes when attached; see {@link #attachTag(String)} for errors */
    CompletableFuture<Void> attachTagAsync(String tag);

    /**
     * Detaches a tag.
     *
     * @param tag the tag
     * @throws AliasNotFoundException if the entry does not exist
     * @throws TagNotSetException     if the entry does not have the tag
     */
    void detachTag(String tag);

    /** @param tag the tag @return completes when detached */
    CompletableFuture<Void> detachTagAsync(String tag);

    /**
     * @param tag the tag
     * @return whether the entry has it
     * @throws AliasNotFoundException if the entry does not exist (or expired)
     */
    boolean hasTag(String tag);

    /** @param tag the tag @return whether the entry has it */
    CompletableFuture<Boolean> hasTagAsync(String tag);

    /**
     * @return the entry's tags, in UTF-8 byte order
     * @throws AliasNotFoundException if the entry does not exist (or expired)
     */
    List<String> getTags();

    /** @return the entry's tags */
    CompletableFuture<List<String>> getTagsAsync();

    /**
     * Deletes the entry, its elements and all its tag links, atomically.
     *
     * @throws AliasNotFoundException    if the entry does not exist
     * @throws IncompatibleTypeException if the alias holds another type
     */
    void remove();

    /** @return completes when removed */
    CompletableFuture<Void> removeAsync();
}
