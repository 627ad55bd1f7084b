package dev.leakproof.kv;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A double-ended queue of byte strings. Pushing to an absent alias creates the deque; an emptied deque
 * stays until {@link #remove()}. Concurrent pushes and pops never lose nor duplicate an element.
 */
public sealed interface DequeEntry extends Entry permits Entries.Deque {

    /** @param value element to add at the front @throws IncompatibleTypeException if the alias holds another type */
    void pushFront(byte[] value);

    /** @param value element to add at the back @throws IncompatibleTypeException if the alias holds another type */
    void pushBack(byte[] value);

    /**
     * @return the front element, removed
     * @throws EmptyContainerException if the deque is empty
     * @throws AliasNotFoundException  if the alias does not exist
     */
    byte[] popFront();

    /** @return the back element, removed @throws EmptyContainerException if the deque is empty */
    byte[] popBack();

    /** @return the front element @throws EmptyContainerException if the deque is empty */
    byte[] front();

    /** @return the back element @throws EmptyContainerException if the deque is empty */
    byte[] back();

    /** @return the number of elements @throws AliasNotFoundException if the alias does not exist */
    long size();

    /**
     * @param index 0 is the front
     * @return the element there
     * @throws OutOfRangeException if {@code index} is negative or not below the size
     */
    byte[] getAt(long index);

    /**
     * @param index 0 is the front
     * @param value the new element
     * @throws OutOfRangeException if {@code index} is negative or not below the size
     */
    void setAt(long index, byte[] value);

    /** @param value element @return completes when added */
    CompletableFuture<Void> pushFrontAsync(byte[] value);

    /** @param value element @return completes when added */
    CompletableFuture<Void> pushBackAsync(byte[] value);

    /** @return the front element, removed */
    CompletableFuture<byte[]> popFrontAsync();

    /** @return the back element, removed */
    CompletableFuture<byte[]> popBackAsync();

    /** @return the front element */
    CompletableFuture<byte[]> frontAsync();

    /** @return the back element */
    CompletableFuture<byte[]> backAsync();

    /** @return the size */
    CompletableFuture<Long> sizeAsync();

    /** @param index index @return the element */
    CompletableFuture<byte[]> getAtAsync(long index);

    /** @param index index @param value element @return completes when written */
    CompletableFuture<Void> setAtAsync(long index, byte[] value);

    /**
     * @return every element from the front to the back, read at one point (under the deque's lock); a copy
     *         that later changes do not touch. The whole deque is in memory at once.
     * @throws AliasNotFoundException if the alias does not exist
     */
    List<byte[]> elements();

    /** @return every element from the front to the back */
    CompletableFuture<List<byte[]>> elementsAsync();
}
