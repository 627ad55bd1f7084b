package dev.leakproof.core;

import dev.leakproof.core.internal.Tracker;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link Arena} that records the size and site of each allocation, so that memory of an arena never
 * closed shows up as a culprit (resource kind {@value #MEMORY_KIND}).
 *
 * <p>The factories sample whole arenas: at {@link TrackingLevel#FULL} (or inside a {@link LeakScope}) every
 * arena is tracked; at {@link TrackingLevel#SAMPLED} one in {@link Tracking#samplingInterval()} is, and the
 * others pass every call straight to the JDK arena they wrap; at {@link TrackingLevel#OFF} the factories return
 * the JDK's own arenas. (At SAMPLED an untracked arena is still a {@code TrackedArena}: when the factory returns
 * one class, the JIT keeps the caller's {@code allocate} and {@code close} calls monomorphic, which costs less
 * than the wrapper; see {@code docs/BENCHMARKS.md}.)
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
 */
public final class TrackedArena implements Arena {
    /** Resource kind under which allocations are tracked. */
    public static final String MEMORY_KIND = "native-memory";
    private static final ResourceKind MEMORY = Tracking.kind(MEMORY_KIND, "native memory allocated from a TrackedArena");

    private final Arena delegate;
    private final boolean shared;
    /** What the tracker decided for this arena ({@code Tracker.NONE}: it only delegates). */
    private final int decision;
    /** The caller's site constant, or null: each allocation captures its own. */
    private final Site site;
    /** The first token, then a list for arenas that allocate more than once: most allocate once. */
    private Tracked first;
    private List<Tracked> tokens;

    private TrackedArena(Arena delegate, boolean shared, int decision, Site site) {
        this.delegate = delegate;
        this.shared = shared;
        this.decision = decision;
        this.site = site;
    }

    /** @return an arena usable by one thread, like {@link Arena#ofConfined()}, tracked if the level samples it */
    public static Arena ofConfined() {
        return Tracker.watching() ? new TrackedArena(Arena.ofConfined(), false, Tracker.decideCreation(), null)
                : Arena.ofConfined();
    }

    /** @return an arena usable by any thread, like {@link Arena#ofShared()}, tracked if the level samples it */
    public static Arena ofShared() {
        return Tracker.watching() ? new TrackedArena(Arena.ofShared(), true, Tracker.decideCreation(), null)
                : Arena.ofShared();
    }

    /**
     * @param site a constant made once for this call site ({@link Site#here()}): every allocation of the arena
     *             is recorded at it, and none walks the stack
     * @return an arena usable by one thread, tracked if the level samples it
     * @throws NullPointerException if {@code site} is null
     */
    public static Arena ofConfined(Site site) {
        Objects.requireNonNull(site, "site");
        return Tracker.watching() ? new TrackedArena(Arena.ofConfined(), false, Tracker.decideCreation(), site)
                : Arena.ofConfined();
    }

    /**
     * @param site a constant made once for this call site ({@link Site#here()}): every allocation of the arena
     *             is recorded at it, and none walks the stack
     * @return an arena usable by any thread, tracked if the level samples it
     * @throws NullPointerException if {@code site} is null
     */
    public static Arena ofShared(Site site) {
        Objects.requireNonNull(site, "site");
        return Tracker.watching() ? new TrackedArena(Arena.ofShared(), true, Tracker.decideCreation(), site)
                : Arena.ofShared();
    }

    /**
     * @return whether this arena records its allocations with their site (one in N at SAMPLED and COUNTED,
     *         always at FULL or in a scope)
     */
    public boolean isTracked() {
        return decision == Tracker.RECORD;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment segment = delegate.allocate(byteSize, byteAlignment);
        if (decision == Tracker.NONE) {
            return segment;
        }
        Tracked token = Tracker.trackPart(decision, MEMORY.state(), byteSize, this, site);
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
        if (first == null) {
            first = token;
            return;
        }
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
        if (decision == Tracker.NONE) {
            return;
        }
        Tracked one;
        List<Tracked> list;
        if (shared) {
            synchronized (this) {
                one = first;
                list = tokens;
                first = null;
                tokens = null;
            }
        } else {
            one = first;
            list = tokens;
            first = null;
            tokens = null;
        }
        if (one != null) {
            one.close();
        }
        if (list != null) {
            for (Tracked t : list) {
                t.close();
            }
        }
    }
}
