package dev.leakproof.core.internal;

import dev.leakproof.core.Culprit;
import dev.leakproof.core.KindTotals;
import dev.leakproof.core.LeakListener;
import dev.leakproof.core.LeakReport;
import dev.leakproof.core.Site;
import dev.leakproof.core.Tracked;
import dev.leakproof.core.TrackingLevel;
import dev.leakproof.core.internal.jfr.LeakDetectedEvent;
import dev.leakproof.core.internal.jfr.LiveResourcesEvent;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.FlightRecorder;

/**
 * The tracker behind {@code Tracking}.
 *
 * <p>Design note. The hot path follows Netty's {@code ResourceLeakDetector#track0}: one read of
 * {@link #gate} decides everything when nothing is being watched. Resources that record a site become
 * {@link Record}s, phantom references to their owner, so the tracker never keeps an owner alive and learns
 * from the reference queue when an owner died unreleased (detection by GC). All live records sit in one
 * concurrent set, which a snapshot groups by site (detection by snapshot), and in the set of every
 * {@link Scope} open on the creating thread (detection by scope). Counts by kind are {@link LongAdder}s, so
 * that totals are exact even when only one creation in N records a site.
 */
public final class Tracker {
    private static final System.Logger LOG = System.getLogger("dev.leakproof");
    private static final int SCOPE_BIT = 4;

    /** Level ordinal, or'ed with {@link #SCOPE_BIT} while any scope is open: the single hot-path read. */
    private static volatile int gate;
    private static volatile TrackingLevel level;
    private static volatile int samplingInterval;

    private static final AtomicInteger OPEN_SCOPES = new AtomicInteger();
    private static final ThreadLocal<Scope> CURRENT_SCOPE = new ThreadLocal<>();
    private static final Set<Record> LIVE = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<SiteKind, Leaked> LEAKED = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final List<LeakListener> LISTENERS = new CopyOnWriteArrayList<>();
    private static final Object DETECTOR_LOCK = new Object();
    private static Thread detector;

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
                        + e.getMessage() + "; using " + TrackingProperties.DEFAULT_LEVEL.name().toLowerCase(
                        java.util.Locale.ROOT));
            }
        }
        setLevel(initial);
        try {
            FlightRecorder.addPeriodicEvent(LiveResourcesEvent.class, Tracker::emitLiveTotals);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "JFR periodic event not registered", e);
        }
    }

    private Tracker() {
    }

    // ---- settings

    public static TrackingLevel level() {
        return level;
    }

    public static void setLevel(TrackingLevel newLevel) {
        level = newLevel;
        recomputeGate();
    }

    public static int samplingInterval() {
        return samplingInterval;
    }

    public static void setSamplingInterval(int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("sampling interval must be at least 1, got " + interval);
        }
        samplingInterval = interval;
    }

    private static synchronized void recomputeGate() {
        gate = level.ordinal() | (OPEN_SCOPES.get() > 0 ? SCOPE_BIT : 0);
    }

    // ---- tracking

    private static final int SAMPLED_ONLY = 1; // TrackingLevel.SAMPLED.ordinal(), no scope open

    public static Tracked track(Kind kind, long bytes, Object owner) {
        int g = gate;
        if (g == 0) {
            return NOOP;
        }
        // the common SAMPLED case stays small enough to inline: one random draw, nothing allocated
        if (g == SAMPLED_ONLY && ThreadLocalRandom.current().nextInt(samplingInterval) != 0) {
            return NOOP;
        }
        return trackSlow(g, kind, bytes, owner);
    }

    /** @return whether any creation may be recorded now: a level above OFF, or a scope open somewhere */
    public static boolean watching() {
        return gate != 0;
    }

    /**
     * Decides whether a resource made of several tracked parts (an arena and its allocations) is recorded,
     * once for the whole: at OFF never (unless a scope is open), at SAMPLED one in N, at FULL always.
     *
     * @return whether to record it; then its parts go through {@link #trackRecorded}
     */
    public static boolean sampleCreation() {
        int g = gate;
        if (g == 0) {
            return false;
        }
        if (g == SAMPLED_ONLY) {
            return ThreadLocalRandom.current().nextInt(samplingInterval) == 0;
        }
        int lvl = g & 3;
        return lvl == TrackingLevel.FULL.ordinal() || CURRENT_SCOPE.get() != null
                || (lvl == TrackingLevel.SAMPLED.ordinal() && ThreadLocalRandom.current().nextInt(samplingInterval) == 0);
    }

    /** Records a part of a resource that {@link #sampleCreation()} chose to record. */
    public static Tracked trackRecorded(Kind kind, long bytes, Object owner) {
        int g = gate;
        return record(g, (g & SCOPE_BIT) != 0 ? CURRENT_SCOPE.get() : null, kind, bytes, owner);
    }

    private static Tracked trackSlow(int g, Kind kind, long bytes, Object owner) {
        Scope scope = (g & SCOPE_BIT) != 0 ? CURRENT_SCOPE.get() : null;
        int lvl = g & 3;
        boolean record = scope != null
                || lvl == TrackingLevel.FULL.ordinal()
                || (lvl == TrackingLevel.SAMPLED.ordinal()
                    && (g == SAMPLED_ONLY || ThreadLocalRandom.current().nextInt(samplingInterval) == 0));
        if (!record) {
            return NOOP;
        }
        return record(g, scope, kind, bytes, owner);
    }

    private static Tracked record(int g, Scope scope, Kind kind, long bytes, Object owner) {
        kind.created(bytes);
        Record r = new Record(owner, kind, bytes, SiteCapture.capture(), scope);
        LIVE.add(r);
        for (Scope s = scope; s != null; s = s.parent) {
            s.records.add(r);
        }
        if (owner != null) {
            ensureDetector();
        }
        return r;
    }

    private record SiteKind(Site site, String kind) {
    }

    private static final class Leaked {
        final LongAdder count = new LongAdder();
        final LongAdder bytes = new LongAdder();
        volatile long oldestCreated = Long.MAX_VALUE;
    }

    private static final java.lang.invoke.VarHandle STATE;
    private static final java.lang.invoke.VarHandle BYTES;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            STATE = l.findVarHandle(Record.class, "state", int.class);
            BYTES = l.findVarHandle(Record.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A resource that recorded its site. */
    static final class Record extends PhantomReference<Object> implements Tracked {
        private static final int LIVE_STATE = 0;
        private static final int RELEASED = 1;
        private static final int LEAKED_STATE = 2;

        final Kind kind;
        final Site site;
        final long createdNanos = System.nanoTime();
        final Scope scope;
        private volatile int state = LIVE_STATE;
        private volatile long bytes;

        Record(Object owner, Kind kind, long bytes, Site site, Scope scope) {
            super(owner, QUEUE);
            this.kind = kind;
            this.bytes = bytes;
            this.site = site;
            this.scope = scope;
        }

        private boolean transition(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }

        @Override
        public void close() {
            if (transition(LIVE_STATE, RELEASED)) {
                LIVE.remove(this);
                for (Scope s = scope; s != null; s = s.parent) {
                    s.records.remove(this);
                }
                kind.released(bytes);
                clear();
            }
        }

        @Override
        public void resize(long delta) {
            if (state == LIVE_STATE) {
                BYTES.getAndAdd(this, delta);
                kind.resized(delta);
            }
        }

        long bytes() {
            return bytes;
        }

        boolean live() {
            return state == LIVE_STATE;
        }

        /** The owner died unreleased: moves the record from live to leaked. */
        boolean markLeaked() {
            if (!transition(LIVE_STATE, LEAKED_STATE)) {
                return false;
            }
            LIVE.remove(this);
            kind.leaked(bytes);
            return true;
        }
    }

    // ---- detection by GC

    private static void ensureDetector() {
        if (detector != null) {
            return;
        }
        synchronized (DETECTOR_LOCK) {
            if (detector == null) {
                Thread t = Thread.ofPlatform().daemon().name("leakproof-leak-detector").unstarted(Tracker::detectLoop);
                t.start();
                detector = t;
            }
        }
    }

    private static void detectLoop() {
        while (true) {
            try {
                Reference<?> ref = QUEUE.remove();
                onEnqueued(ref);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "leak detector failed on one reference; it goes on", e);
            }
        }
    }

    /** Drains references already enqueued, on the caller's thread. */
    public static void detectNow() {
        Reference<?> ref;
        while ((ref = QUEUE.poll()) != null) {
            onEnqueued(ref);
        }
    }

    private static void onEnqueued(Reference<?> ref) {
        if (!(ref instanceof Record r) || !r.markLeaked()) {
            return;
        }
        long b = r.bytes();
        Leaked agg = LEAKED.computeIfAbsent(new SiteKind(r.site, r.kind.name()), k -> new Leaked());
        agg.count.increment();
        agg.bytes.add(b);
        synchronized (agg) {
            agg.oldestCreated = Math.min(agg.oldestCreated, r.createdNanos);
        }
        Duration age = Duration.ofNanos(System.nanoTime() - r.createdNanos);
        Culprit leak = new Culprit(r.kind.name(), r.site, 1, b, age);
        if (agg.count.sum() == 1) {
            // once per site and kind, as Netty reports a leak record once: the rest are counted in leaked()
            LOG.log(System.Logger.Level.WARNING, () -> "LEAK: a " + r.kind + " (" + b + " bytes) was "
                    + "garbage-collected before it was released; created at:\n    "
                    + String.join("\n    ", r.site.frames())
                    + "\nFurther leaks from this site are counted, not logged: see Tracking.leaked().");
        }
        emitLeak("gc", leak);
        for (LeakListener l : LISTENERS) {
            try {
                l.leaked(leak);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "leak listener " + l + " threw; detection goes on", e);
            }
        }
    }

    public static void addListener(LeakListener listener) {
        LISTENERS.add(listener);
    }

    public static boolean removeListener(LeakListener listener) {
        return LISTENERS.remove(listener);
    }

    /**
     * Collects garbage until the heap is settled: a full GC, reference processing and cleaners given time
     * to run (observed through a sentinel), a second full GC, then the detector queue drained.
     */
    public static void settle() {
        Object sentinel = new Object();
        java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(sentinel);
        sentinel = null;
        long deadline = System.nanoTime() + 2_000_000_000L;
        System.gc();
        while (probe.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        // cleaners and the detector run on their own threads: give them a moment after the first cycle
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
        detectNow();
    }

    // ---- reports

    public static LeakReport snapshot() {
        return group("still live", LIVE);
    }

    public static LeakReport leaked() {
        List<Culprit> list = new ArrayList<>();
        long now = System.nanoTime();
        LEAKED.forEach((k, v) -> list.add(new Culprit(k.kind(), k.site(), v.count.sum(), v.bytes.sum(),
                Duration.ofNanos(now - v.oldestCreated))));
        return new LeakReport("leaked (owner garbage-collected unreleased)", list);
    }

    static LeakReport group(String title, Iterable<Record> records) {
        Map<SiteKind, long[]> groups = new HashMap<>();
        long now = System.nanoTime();
        for (Record r : records) {
            if (!r.live()) {
                continue;
            }
            long[] agg = groups.computeIfAbsent(new SiteKind(r.site, r.kind.name()), k -> new long[] {0, 0, Long.MAX_VALUE});
            agg[0]++;
            agg[1] += r.bytes();
            agg[2] = Math.min(agg[2], r.createdNanos);
        }
        List<Culprit> list = new ArrayList<>(groups.size());
        groups.forEach((k, v) -> list.add(new Culprit(k.kind(), k.site(), v[0], v[1], Duration.ofNanos(now - v[2]))));
        return new LeakReport(title, list);
    }

    public static Map<String, KindTotals> totals() {
        return Kind.allTotals();
    }

    private static void emitLiveTotals() {
        totals().forEach((kind, t) -> {
            LiveResourcesEvent e = new LiveResourcesEvent();
            e.kind = kind;
            e.liveCount = t.liveCount();
            e.liveBytes = t.liveBytes();
            e.leakedCount = t.leakedCount();
            e.leakedBytes = t.leakedBytes();
            e.commit();
        });
    }

    static void emitLeak(String detection, Culprit leak) {
        LeakDetectedEvent e = new LeakDetectedEvent();
        if (e.shouldCommit()) {
            e.kind = leak.kind();
            e.detection = detection;
            e.site = leak.site().topFrame();
            e.stack = String.join("\n", leak.site().frames());
            e.count = leak.count();
            e.bytes = leak.bytes();
            e.commit();
        }
    }

    // ---- scopes

    /** Records made on one thread between open and close. */
    public static final class Scope {
        final String name;
        final Scope parent;
        final Thread thread;
        final Set<Record> records = ConcurrentHashMap.newKeySet();
        private boolean closed;

        Scope(String name, Scope parent, Thread thread) {
            this.name = name;
            this.parent = parent;
            this.thread = thread;
        }

        public String name() {
            return name;
        }

        public boolean isClosed() {
            return closed;
        }

        public LeakReport leaks() {
            return group("unreleased in scope '" + name + "'", records);
        }
    }

    public static Scope openScope(String name) {
        Scope s = new Scope(name, CURRENT_SCOPE.get(), Thread.currentThread());
        CURRENT_SCOPE.set(s);
        OPEN_SCOPES.incrementAndGet();
        recomputeGate();
        return s;
    }

    public static void closeScope(Scope s) {
        if (s.closed) {
            return;
        }
        if (Thread.currentThread() != s.thread) {
            throw new WrongThreadException("scope '" + s.name + "' was opened on " + s.thread.getName()
                    + " and must be closed there, not on " + Thread.currentThread().getName());
        }
        if (CURRENT_SCOPE.get() != s) {
            throw new IllegalStateException("scope '" + s.name + "' is not the innermost open scope on this thread: "
                    + "close the scopes opened inside it first");
        }
        s.closed = true;
        if (s.parent == null) {
            CURRENT_SCOPE.remove();
        } else {
            CURRENT_SCOPE.set(s.parent);
        }
        OPEN_SCOPES.decrementAndGet();
        recomputeGate();
        for (Culprit c : s.leaks().culprits()) {
            emitLeak("scope", c);
        }
    }

    /** @return the innermost scope open on this thread, or null */
    public static Scope currentScope() {
        return CURRENT_SCOPE.get();
    }

    /**
     * Makes {@code scope} the current scope of this thread (work handed to another thread stays
     * attributed to the scope that submitted it).
     *
     * @param scope the scope, or null for none
     * @return the scope that was current before, to restore afterwards
     */
    public static Scope enterScope(Scope scope) {
        Scope before = CURRENT_SCOPE.get();
        if (scope != before) {
            if (scope == null) {
                CURRENT_SCOPE.remove();
            } else {
                CURRENT_SCOPE.set(scope);
            }
        }
        return before;
    }
}
