package dev.leakproof.kv.internal;

import dev.leakproof.core.Tracked;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one owner of one native object of RocksDB's C API: its pointer, the destructor that releases it, and the
 * leakproof-core tracking token that reports it while it lives. Creation, tracking, destruction and untracking
 * happen here and nowhere else; several owners close in reverse order of creation in a try-with-resources
 * chain.
 * {@snippet :
 * try (Owned ro = Owned.of(Rocks.readOptionsCreate(), NativeKinds.READ_OPTIONS.track(0, null),
 *                          Rocks::readOptionsDestroy);
 *      Owned it = Owned.of(Rocks.txnDbCreateIterator(db, ro.get()), NativeKinds.ITERATOR.track(0, null),
 *                          Rocks::iterDestroy)) {
 *     // the iterator is destroyed first, then its read options
 * }
 * }
 *
 * <p>The token is made by the caller, on the line that creates the object, so the site a leak report names is
 * that line rather than this class. An owner may carry one {@link InjectedLeaks.Leak} switch: while it is on,
 * {@link #close()} skips exactly this object's release (destructor and untracking both), which is how the 2015
 * post's leaks are replayed on the real code path.
 *
 * <p>A second {@code close()} does nothing (Okio's rule, not Arena's): a store's close and a failed open's
 * rollback may both reach an owner, and releasing twice would be a double free. Not thread-safe: an owner is
 * used by one thread at a time (the store guarantees no operation runs while it closes).
 */
public final class Owned implements AutoCloseable {
    private final MemorySegment segment;
    private final Tracked token;
    private final Consumer<MemorySegment> destructor;
    private final InjectedLeaks.Leak skipWhen;
    private boolean closed;

    private Owned(MemorySegment segment, Tracked token, Consumer<MemorySegment> destructor, InjectedLeaks.Leak skipWhen) {
        this.segment = segment;
        this.token = token;
        this.destructor = destructor;
        this.skipWhen = skipWhen;
    }

    /**
     * @param segment    the object, just created (not NULL)
     * @param token      its tracking token, made on the creating line
     * @param destructor what releases it ({@code Rocks::…Destroy})
     * @return its owner
     * @throws IllegalStateException if the object is NULL (RocksDB could not create it); the token is closed
     */
    public static Owned of(MemorySegment segment, Tracked token, Consumer<MemorySegment> destructor) {
        return of(segment, token, destructor, null);
    }

    /**
     * @param segment    the object, just created (not NULL)
     * @param token      its tracking token, made on the creating line
     * @param destructor what releases it
     * @param skipWhen   the fault switch that makes {@link #close()} skip this release, or null
     * @return its owner
     * @throws IllegalStateException if the object is NULL; the token is closed
     */
    public static Owned of(MemorySegment segment, Tracked token, Consumer<MemorySegment> destructor,
                           InjectedLeaks.Leak skipWhen) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(destructor, "destructor");
        if (segment.address() == 0) {
            token.close();
            throw new IllegalStateException("RocksDB returned NULL for a native object (out of memory?)");
        }
        return new Owned(segment, token, destructor, skipWhen);
    }

    /**
     * @return the object
     * @throws IllegalStateException if it was released
     */
    public MemorySegment get() {
        if (closed) {
            throw new IllegalStateException("native object already released");
        }
        return segment;
    }

    /**
     * Hands the object to a new owner: this one is then closed without releasing anything. A constructor
     * builds its objects as resources of a try-with-resources (each failure releases what came before, in
     * reverse order) and, once all exist, transfers them to its fields.
     *
     * @return the new owner
     * @throws IllegalStateException if this owner was closed
     */
    public Owned transfer() {
        Owned moved = new Owned(get(), token, destructor, skipWhen);
        closed = true;
        return moved;
    }

    /** Releases the object and closes its token, unless its fault switch is on; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (skipWhen != null && InjectedLeaks.skip(skipWhen)) {
            return;
        }
        try {
            destructor.accept(segment);
        } finally {
            token.close();
        }
    }
}
