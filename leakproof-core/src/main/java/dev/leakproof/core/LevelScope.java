package dev.leakproof.core;

import dev.leakproof.core.internal.Scope;

/**
 * A tracking level opened for a piece of work, by {@link Tracking#levelScope(TrackingLevel)}, instead of a
 * process-wide switch: a test, a soak or a cluster tracks its own work at its own level and changes nobody
 * else's.
 * {@snippet :
 * try (LevelScope full = Tracking.levelScope(TrackingLevel.FULL)) {
 *     runTheWork();              // every resource created here records its site
 * }                              // the level around it applies again
 * }
 *
 * <p>What is "in" the scope: creations on the thread that opened it while it is the innermost scope there,
 * and work that thread submits to a {@link WorkQueue} meanwhile (the item carries the level to its worker,
 * as it carries a {@link LeakScope}). Threads started inside do not inherit it (a pooled thread would keep
 * the level after the scope closed): open a level scope on them for work of their own. Scopes nest, the
 * innermost wins; each thread has its own, so scopes running in parallel on different threads do not see
 * each other. A {@link LeakScope} records every creation in it whatever the level, including inside a level
 * scope of {@link TrackingLevel#OFF}.
 *
 * <p>A second {@code close()} does nothing, as for {@link LeakScope}.
 */
public final class LevelScope implements AutoCloseable {
    private final Scope scope;
    private final TrackingLevel level;

    LevelScope(Scope scope, TrackingLevel level) {
        this.scope = scope;
        this.level = level;
    }

    /** @return the level this scope sets */
    public TrackingLevel level() {
        return level;
    }

    /**
     * Ends the level: creations on this thread are tracked at the level around the scope again.
     *
     * @throws WrongThreadException  if called on another thread than the one that opened the scope
     * @throws IllegalStateException if a scope opened inside this one is still open
     */
    @Override
    public void close() {
        scope.close();
    }

    /** @return the level, for logs */
    @Override
    public String toString() {
        return "LevelScope[" + level + (scope.isClosed() ? ", closed]" : "]");
    }
}
