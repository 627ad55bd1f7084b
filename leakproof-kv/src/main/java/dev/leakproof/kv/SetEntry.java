package dev.leakproof.kv;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A set of byte strings. Inserting into an absent alias creates the set. */
public sealed interface SetEntry extends Entry permits Entries.Set {

    /**
     * @param value element
     * @throws ElementAlreadyExistsException if it is already there
     * @throws IncompatibleTypeException     if the alias holds another type
     */
    void insert(byte[] value);

    /**
     * @param value element
     * @throws ElementNotFoundException if it is not there
     * @throws AliasNotFoundException   if the set does not exist
     */
    void erase(byte[] value);

    /**
     * @param value element
     * @return whether it is there
     * @throws AliasNotFoundException if the set does not exist
     */
    boolean contains(byte[] value);

    /** @param value element @return completes when inserted */
    CompletableFuture<Void> insertAsync(byte[] value);

    /** @param value element @return completes when erased */
    CompletableFuture<Void> eraseAsync(byte[] value);

    /** @param value element @return whether it is there */
    CompletableFuture<Boolean> containsAsync(byte[] value);

    /** @return the number of elements @throws AliasNotFoundException if the set does not exist */
    long size();

    /** @return the number of elements */
    CompletableFuture<Long> sizeAsync();

    /**
     * @return every element, in unsigned byte order, read at one point (under the set's lock); a copy that
     *         later changes do not touch. The whole set is in memory at once: mind sets of large elements.
     * @throws AliasNotFoundException if the set does not exist
     */
    List<byte[]> members();

    /** @return every element, in byte order */
    CompletableFuture<List<byte[]>> membersAsync();
}
