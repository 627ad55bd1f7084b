package dev.leakproof.core;

import java.lang.foreign.MemorySegment;

/**
 * A unit of work owned by the {@link WorkQueue} that allocated it (the post's {@code uv_allocate_work()}).
 *
 * <p>Only {@link WorkQueue#allocate()} makes items; each carries its queue's canary and a generation that
 * changes every time it is handed out. After {@link WorkQueue#submit} the queue owns the item and takes it
 * back when the after-work callback returns: the caller never frees anything. Touching an item after it
 * went back to the pool throws {@link IllegalStateException}.
 *
 * <p>An item may carry native scratch memory ({@link WorkQueueOptions#scratchBytes()}) for request and
 * result buffers; it is reset when the item is recycled, and a leaked item leaks it.
 */
public interface WorkItem {

    /** @return the name of the queue that owns this item */
    String queueName();

    /** @return the allocation generation: differs for every hand-out of the same pooled item */
    long generation();

    /**
     * Carves {@code byteSize} bytes, 8-aligned, from the item's scratch memory; valid until the item is recycled.
     *
     * @param byteSize bytes wanted
     * @return a segment of that size (contents unspecified)
     * @throws IllegalArgumentException if the scratch memory left is too small
     * @throws IllegalStateException    if the item went back to its pool
     */
    MemorySegment scratch(long byteSize);

    /**
     * Gives an allocated, unsubmitted item back to its queue.
     *
     * @throws IllegalStateException if the item was submitted or already went back to its pool
     */
    void release();
}
