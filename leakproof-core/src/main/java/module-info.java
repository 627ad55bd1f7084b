/**
 * Ownership blocks for JVM code that talks to native libraries, and the tracking that names the
 * culprit when something still leaks.
 *
 * <ul>
 *   <li>{@link dev.leakproof.core.WorkQueue}: a work queue that owns its work items (allocated by the
 *       queue, canaried, pooled, debug-checked);</li>
 *   <li>{@link dev.leakproof.core.HandleTable}: handles that native code refers to by id and that must be
 *       released;</li>
 *   <li>{@link dev.leakproof.core.TrackedArena}: an {@link java.lang.foreign.Arena} that records each
 *       allocation's size and site;</li>
 *   <li>{@link dev.leakproof.core.Tracking}: tracking of any resource with an explicit lifetime, leak
 *       detection (garbage-collected owners, snapshots, scopes) and reports.</li>
 * </ul>
 */
module dev.leakproof.core {
    requires jdk.jfr;
    requires java.management;

    exports dev.leakproof.core;
    // plumbing shared with leakproof's own modules only
    exports dev.leakproof.core.internal to dev.leakproof.kv, dev.leakproof.soak;
    exports dev.leakproof.core.internal.jfr to jdk.jfr;
}
