package dev.leakproof.core;

/**
 * A Java object pinned in a {@link HandleTable} so that native code can refer to it by {@link #id()}.
 * The object stays reachable until {@link #release()}: a handle never released is a leak (V8's
 * {@code Persistent} never {@code Reset}), reported with the site that pinned it.
 *
 * <p>{@link #close()} is {@link #release()}: releasing twice throws, as closing an {@code Arena} twice
 * does, because a second release reveals confused ownership.
 *
 * @param <T> type of the pinned object
 */
public sealed interface Handle<T> extends AutoCloseable permits HandleTable.PinnedHandle {

    /** @return the 64-bit id that native code holds; never reused by the table */
    long id();

    /**
     * @return the pinned object
     * @throws IllegalStateException if the handle was released
     */
    T get();

    /** @return whether {@link #release()} was called */
    boolean isReleased();

    /**
     * Unpins the object; resolving the id fails from now on.
     *
     * @throws IllegalStateException if the handle was already released
     */
    void release();

    /** Same as {@link #release()}. @throws IllegalStateException if already released */
    @Override
    default void close() {
        release();
    }
}
