package dev.leakproof.core;

import dev.leakproof.core.internal.Tracker;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Arena} that records the size and site of each allocation, so that memory of an arena never
 * closed shows up as a culprit (resource kind {@value #MEMORY_KIND}).
 * {@snippet :
 * try (Arena arena = TrackedArena.ofConfined()) {
 *     MemorySegment key = arena.allocateFrom("alias");
 *     ...
 * }   // freed, and no longer live in Tracking.snapshot()
 * }
 *
 * <p>It behaves as the arena it wraps: closing twice throws {@link IllegalStateException}, a confined one
 * closed from another thread throws {@link WrongThreadException}, and a segment used after close throws
 * {@link IllegalStateException}. An arena dropped without close is reported when it is garbage-collected.
 * At {@link TrackingLevel#OFF} an allocation costs one field read on top of the plain arena.
 */
public final class TrackedArena implements Arena {
    /** Resource kind under which allocations are tracked. */
    public static final String MEMORY_KIND = "native-memory";

    private final Arena delegate;
    private final boolean shared;
    private List<Tracked> tokens;

    private TrackedArena(Arena delegate, boolean shared) {
        this.delegate = delegate;
        this.shared = shared;
    }

    /** @return a tracked arena usable by one thread, like {@link Arena#ofConfined()} */
    public static TrackedArena ofConfined() {
        return new TrackedArena(Arena.ofConfined(), false);
    }

    /** @return a tracked arena usable by any thread, like {@link Arena#ofShared()} */
    public static TrackedArena ofShared() {
        return new TrackedArena(Arena.ofShared(), true);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment segment = delegate.allocate(byteSize, byteAlignment);
        Tracked token = Tracking.track(MEMORY_KIND, byteSize, this);
        if (token != Tracker.NOOP) {
            if (shared) {
                synchronized (this) {
                    addToken(token);
                }
            } else {
                addToken(token);
            }
        }
        return segment;
    }

    private void addToken(Tracked token) {
        if (tokens == null) {
            tokens = new ArrayList<>(4);
        }
        tokens.add(token);
    }

    @Override
    public MemorySegment.Scope scope() {
        return delegate.scope();
    }

    @Override
    public void close() {
        delegate.close();
        List<Tracked> list;
        if (shared) {
            synchronized (this) {
                list = tokens;
                tokens = null;
            }
        } else {
            list = tokens;
            tokens = null;
        }
        if (list != null) {
            for (Tracked t : list) {
                t.close();
            }
        }
    }
}
