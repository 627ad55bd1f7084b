package dev.leakproof.kv;

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
}
