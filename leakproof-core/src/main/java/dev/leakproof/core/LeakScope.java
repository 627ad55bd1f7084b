package dev.leakproof.core;

import dev.leakproof.core.internal.Scope;

/**
 * Everything created on one thread between {@link Tracking#openScope(String)} and {@link #close()}.
 * {@snippet :
 * try (LeakScope scope = Tracking.openScope("reads release their values")) {
 *     store.get(key);
 *     scope.close();
 *     assert scope.leaks().isEmpty() : scope.leaks().toText();
 * }
 * }
 *
 * <p>A second {@code close()} does nothing, so that a scope can be closed early and still sit in a
 * try-with-resources block.
 */
public final class LeakScope implements AutoCloseable {
    private final Scope scope;

    LeakScope(Scope scope) {
        this.scope = scope;
    }

    /** @return the name given at open */
    public String name() {
        return scope.name();
    }

    /**
     * @return resources created in this scope and not released yet (or leaked), grouped by site;
     *         callable before and after close
     */
    public LeakReport leaks() {
        return scope.leaks();
    }

    /**
     * Stops recording. Resources created in the scope and released later still leave {@link #leaks()}.
     *
     * @throws WrongThreadException  if called on another thread than the one that opened the scope
     * @throws IllegalStateException if a scope opened inside this one is still open
     */
    @Override
    public void close() {
        scope.close();
    }
}
