package dev.leakproof.core.internal;

import dev.leakproof.core.Site;
import dev.leakproof.core.Tracked;
import dev.leakproof.core.TrackingLevel;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hot path of tracking: the gate, the sampling decision and recording.
 *
 * <p>Design note. The gate follows Netty's {@code ResourceLeakDetector#track0}: one read of {@link #gate}
 * decides everything when nothing is being watched, and an unsampled creation allocates nothing (it gets
 * {@link #NOOP}). What a creation gets is decided in one place, {@link #decide}: a record inside a leak scope
 * always, else by the level in effect (the innermost level scope's, else the process default): at FULL always,
 * at SAMPLED and COUNTED one in N by {@link ThreadLocalRandom}; at COUNTED the others get a {@link Counted}
 * token, which keeps the kind's totals exact without a site. A recorded creation becomes
 * a {@link Record} (counted in its {@link Kind}, listed live, joined to its scopes). The other parts:
 * {@link LeakDetector} (detection by GC), {@link Scope} (detection by scope), {@link Reports} (snapshots,
 * totals, JFR), {@link SiteCapture} (sites).
 */
public final class Tracker {
    private static final System.Logger LOG = System.getLogger("dev.leakproof");
    private static final int LEVEL_BITS = 3;
    private static final int SCOPE_BIT = 4;
    private static final int SAMPLED = TrackingLevel.SAMPLED.ordinal();
    private static final int COUNTED = TrackingLevel.COUNTED.ordinal();
    private static final int FULL = TrackingLevel.FULL.ordinal();
    /** What {@link #decide} gives a creation: nothing, a count without a site, or a record. */
    public static final int NONE = 0;
    public static final int COUNT = 1;
    public static final int RECORD = 2;

    private static final TrackingLevel[] LEVELS = TrackingLevel.values();

    /**
     * The default level's ordinal, or'ed with {@link #SCOPE_BIT} while any scope (leak or level) is open on any
     * thread: the single hot-path read.
     */
    private static volatile int gate;
    /** The process default: the level where no level scope is open. */
    private static volatile TrackingLevel defaultLevel;
    private static volatile int samplingInterval;

    /** Never released, never counted: what {@code track} returns when nothing is watched. */
    public static final Tracked NOOP = new Tracked() {
        @Override
        public void close() {
        }

        @Override
        public void resize(long delta) {
        }
    };

    static {
        // a bad property must not break every class that tracks: say what is wrong and use the default
        String interval = System.getProperty(TrackingProperties.INTERVAL);
        samplingInterval = TrackingProperties.DEFAULT_INTERVAL;
        if (interval != null) {
            try {
                setSamplingInterval(Integer.parseInt(interval.strip()));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring -D" + TrackingProperties.INTERVAL + "=" + interval
                        + ": expected a whole number of at least 1; using " + TrackingProperties.DEFAULT_INTERVAL);
            }
        }
        String prop = System.getProperty(TrackingProperties.LEVEL);
        TrackingLevel initial = TrackingProperties.DEFAULT_LEVEL;
        if (prop != null) {
            try {
                initial = TrackingLevel.parse(prop);
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring -D" + TrackingProperties.LEVEL + "=" + prop + ": "
                        + e.getMessage() + "; using " + TrackingProperties.DEFAULT_LEVEL.name().toLowerCase(Locale.ROOT));
            }
        }
        setDefaultLevel(initial);
        Reports.init(); // the periodic JFR event of live totals, registered once tracking is in use
    }

    private Tracker() {
    }

    // ---- settings

    /** @return the level creations on this thread are tracked at now: its innermost level scope's, else the default */
    public static TrackingLevel level() {
        Scope frame = Scope.current();
        return frame != null && frame.level != Scope.DEFAULT_LEVEL ? LEVELS[frame.level] : defaultLevel;
    }

    public static TrackingLevel defaultLevel() {
        return defaultLevel;
    }

    public static void setDefaultLevel(TrackingLevel newLevel) {
        defaultLevel = newLevel;
        recomputeGate();
    }

    /** @return N of SAMPLED on this thread now: its innermost level scope's, else the process's */
    public static int samplingInterval() {
        Scope frame = Scope.current();
        return frame != null && frame.interval != 0 ? frame.interval : samplingInterval;
    }

    /** @throws IllegalArgumentException if {@code interval < 1} */
    public static void setSamplingInterval(int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("sampling interval must be at least 1, got " + interval);
        }
        samplingInterval = interval;
    }

    /** @return whether the gate says a scope may be open somewhere */
    static boolean scopeBitSet() {
        return (gate & SCOPE_BIT) != 0;
    }

    /** Called when the default level changes, or when the first scope opens or the last one closes. */
    static synchronized void recomputeGate() {
        gate = defaultLevel.ordinal() | (Scope.anyOpen() ? SCOPE_BIT : 0);
    }

    // ---- the gate and the sampling decision

    /**
     * @return whether a creation on this thread may be recorded now: it is in a leak scope, or the level in
     *         effect here is above OFF
     */
    public static boolean watching() {
        int g = gate;
        if ((g & SCOPE_BIT) == 0) {
            return g != 0;
        }
        Scope frame = Scope.current();
        return frame == null ? (g & LEVEL_BITS) != 0 : frame.collector != null || levelIn(g, frame) != 0;
    }

    /** @return the level ordinal in effect in {@code frame}: its own or the one around it, else the default's */
    private static int levelIn(int g, Scope frame) {
        return frame.level != Scope.DEFAULT_LEVEL ? frame.level : g & LEVEL_BITS;
    }

    /**
     * The sampling decision, made here only: what does a creation under gate {@code g}, in {@code frame}, get?
     * Small enough to inline into the callers, so the common SAMPLED case costs one random draw.
     *
     * @return {@link #NONE}, {@link #COUNT} or {@link #RECORD}
     */
    private static int decide(int g, Scope frame) {
        int lvl;
        if (frame == null) {
            lvl = g & LEVEL_BITS;
        } else if (frame.collector != null) {
            return RECORD;
        } else {
            lvl = levelIn(g, frame);
        }
        if (lvl == FULL) {
            return RECORD;
        }
        if (lvl == SAMPLED || lvl == COUNTED) {
            if (ThreadLocalRandom.current().nextInt(
                    frame == null || frame.interval == 0 ? samplingInterval : frame.interval) == 0) {
                return RECORD;
            }
            return lvl == COUNTED ? COUNT : NONE;
        }
        return NONE;
    }

    /** @return the current frame when one may be open (the gate's scope bit), else null without a look-up */
    private static Scope frame(int g) {
        return (g & SCOPE_BIT) != 0 ? Scope.current() : null;
    }

    /**
     * Tracks one resource as {@link #decide} says.
     *
     * @return its record, a {@link Counted} token, or {@link #NOOP}
     */
    public static Tracked track(Kind kind, long bytes, Object owner) {
        return track(kind, bytes, owner, null);
    }

    /**
     * Tracks one resource created at {@code site}, a constant of its caller's: a recorded creation walks no
     * stack.
     *
     * @param site the caller's site constant, or null to capture the site when recorded
     * @return its record, a {@link Counted} token, or {@link #NOOP}
     */
    public static Tracked track(Kind kind, long bytes, Object owner, Site site) {
        int g = gate;
        if (g == 0) {
            return NOOP;
        }
        Scope frame = frame(g);
        return switch (decide(g, frame)) {
            case RECORD -> record(frame, kind, bytes, owner, site);
            case COUNT -> new Counted(kind, bytes);
            default -> NOOP;
        };
    }

    /**
     * Decides what a resource made of several tracked parts (an arena and its allocations) gets, once for the
     * whole.
     *
     * @return {@link #NONE}, {@link #COUNT} or {@link #RECORD}; its parts then go through {@link #trackPart}
     */
    public static int decideCreation() {
        int g = gate;
        return g == 0 ? NONE : decide(g, frame(g));
    }

    /**
     * Tracks a part of a resource as {@link #decideCreation()} decided for the whole.
     *
     * @param site the caller's site constant, or null to capture the site when recorded
     */
    public static Tracked trackPart(int decision, Kind kind, long bytes, Object owner, Site site) {
        return switch (decision) {
            case RECORD -> record(frame(gate), kind, bytes, owner, site);
            case COUNT -> new Counted(kind, bytes);
            default -> NOOP;
        };
    }

    private static Tracked record(Scope frame, Kind kind, long bytes, Object owner, Site site) {
        Record r = new Record(owner, kind, bytes, site != null ? site : SiteCapture.capture(),
                frame != null ? frame.collector : null);
        if (owner != null) {
            LeakDetector.ensureRunning();
        }
        return r;
    }
}
