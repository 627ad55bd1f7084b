package dev.leakproof.core;

/**
 * The token of one tracked resource, returned by {@link ResourceKind#track(long, Object)}: close it
 * when the resource is released.
 *
 * <p>A second {@link #close()} does nothing: tokens are closed from cleanup paths that can race (an
 * explicit close and a cleaner, say), and the resource itself is what must reject double release.
 */
public interface Tracked extends AutoCloseable {

    /** Marks the resource released. Idempotent. */
    @Override
    void close();

    /**
     * Records that the resource now holds {@code delta} more (or, negative, fewer) bytes.
     *
     * @param delta change in bytes
     */
    void resize(long delta);
}
