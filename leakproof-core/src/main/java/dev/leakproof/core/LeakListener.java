package dev.leakproof.core;

/**
 * Told about each resource whose owner was garbage-collected while the resource was unreleased.
 * Register with {@link Tracking#addLeakListener(LeakListener)}. Called on leakproof's detector thread;
 * an exception thrown here is logged and does not stop detection.
 */
@FunctionalInterface
public interface LeakListener {
    /**
     * @param leak the leaked resource: kind, site, bytes, age (count is 1)
     */
    void leaked(Culprit leak);
}
