package dev.leakproof.core;

import dev.leakproof.core.internal.Kind;
import dev.leakproof.core.internal.Tracker;

/**
 * A kind of resource that leakproof tracks: a constant per kind, holding its name, its description and its
 * counters, made once by {@link Tracking#kind(String, String)} (as Netty keeps one
 * {@code ResourceLeakDetector} per resource type). A typo in a constant's name does not compile; a typo in a
 * string made a new kind silently.
 * {@snippet :
 * static final ResourceKind VALUE = Tracking.kind("rocksdb-value", "value returned by rocksdb_get");
 *
 * MemorySegment value = rocksdbGet(key);                 // malloc'd by the native library
 * Tracked token = VALUE.track(value.byteSize(), value);
 * try {
 *     return value.toArray(ValueLayout.JAVA_BYTE);
 * } finally {
 *     free(value);
 *     token.close();
 * }
 * }
 *
 * <p>Reports, JSON and JFR events name a resource by its kind's {@link #name()}. There is one kind per name
 * in a process: registering a name again with the same description returns the same kind (a class loaded by
 * two class loaders makes its constants twice), with another description it fails.
 */
public final class ResourceKind {
    private final Kind kind;

    ResourceKind(Kind kind) {
        this.kind = kind;
    }

    /**
     * Starts tracking one resource of this kind.
     *
     * @param bytes native bytes it holds (0 if unknown or none)
     * @param owner the Java object whose collection means the resource can no longer be released, or null
     *              to skip detection by garbage collection
     * @return the token to close on release; when nothing records this creation, a shared token that
     *         records nothing
     */
    public Tracked track(long bytes, Object owner) {
        return Tracker.track(kind, bytes, owner);
    }

    /**
     * Starts tracking one resource of this kind created at {@code site}, a constant the caller made once for
     * this call site with {@link Site#here()}: a recorded creation then walks no stack, which is what makes
     * FULL cheap (docs/BENCHMARKS.md).
     * {@snippet :
     * private static final Site GET = Site.here();   // one constant per call site
     *
     * Tracked token = VALUE.track(value.byteSize(), value, GET);
     * }
     *
     * @param bytes native bytes it holds (0 if unknown or none)
     * @param owner the Java object whose collection means the resource can no longer be released, or null
     * @param site  where it is created; reports name this site
     * @return the token to close on release; when nothing records this creation, a shared token
     * @throws NullPointerException if {@code site} is null
     */
    public Tracked track(long bytes, Object owner, Site site) {
        return Tracker.track(kind, bytes, owner, java.util.Objects.requireNonNull(site, "site"));
    }

    /** @return the name reports group by, for example {@code "rocksdb-value"} */
    public String name() {
        return kind.name();
    }

    /** @return what the resource is, one line */
    public String description() {
        return kind.description();
    }

    /** @return live and leaked totals of this kind (see {@link KindTotals} for what SAMPLED counts) */
    public KindTotals totals() {
        return kind.totals();
    }

    /** @return the kind's state, for leakproof-core's own blocks */
    Kind state() {
        return kind;
    }

    /** @return the name */
    @Override
    public String toString() {
        return kind.name();
    }
}
