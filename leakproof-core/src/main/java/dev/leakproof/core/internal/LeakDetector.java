package dev.leakproof.core.internal;

import dev.leakproof.core.Culprit;
import dev.leakproof.core.LeakListener;
import dev.leakproof.core.LeakReport;
import dev.leakproof.core.Site;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Detection by garbage collection: a {@link Record} is a phantom reference to its owner, enqueued here when
 * the owner is collected; if the record is still live then, its resource can no longer be released.
 *
 * <p>Design note. As Netty's {@code ResourceLeakDetector}, each leak is logged once per site and kind
 * (logger {@code dev.leakproof}, WARNING) and counted after that; every leak also goes to the
 * {@link LeakListener}s and to a JFR event. A daemon thread, started by the first record with an owner, drains
 * the queue; {@link #detectNow()} drains it on the caller's thread, so a report asked for right after a
 * collection is complete.
 */
public final class LeakDetector {
    private static final System.Logger LOG = System.getLogger("dev.leakproof");

    static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final ConcurrentHashMap<SiteKind, Leaked> LEAKED = new ConcurrentHashMap<>();
    private static final List<LeakListener> LISTENERS = new CopyOnWriteArrayList<>();
    private static final Object LOCK = new Object();
    private static volatile Thread detector;

    private LeakDetector() {
    }

    private record SiteKind(Site site, String kind) {
    }

    /** Leaks of one site and kind, since start. */
    private static final class Leaked {
        final LongAdder count = new LongAdder();
        final LongAdder bytes = new LongAdder();
        volatile long oldestCreated = Long.MAX_VALUE;
    }

    /** Starts the detector thread unless it runs. */
    static void ensureRunning() {
        if (detector != null) {
            return;
        }
        synchronized (LOCK) {
            if (detector == null) {
                Thread t = Thread.ofPlatform().daemon().name("leakproof-leak-detector")
                        .unstarted(LeakDetector::detectLoop);
                t.start();
                detector = t;
            }
        }
    }

    private static void detectLoop() {
        while (true) {
            try {
                onEnqueued(QUEUE.remove());
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
            LOG.log(System.Logger.Level.WARNING, () -> "LEAK: a " + r.kind.name() + " (" + b + " bytes) was "
                    + "garbage-collected before it was released; created at:\n    "
                    + String.join("\n    ", r.site.frames())
                    + "\nFurther leaks from this site are counted, not logged: see Tracking.leaked().");
        }
        Reports.emitLeak("gc", leak);
        for (LeakListener l : LISTENERS) {
            try {
                l.leaked(leak);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "leak listener " + l + " threw; detection goes on", e);
            }
        }
    }

    /** @return every leak found so far (after draining the queue), grouped by site and kind */
    public static LeakReport leaked() {
        detectNow();
        List<Culprit> list = new ArrayList<>();
        long now = System.nanoTime();
        LEAKED.forEach((k, v) -> list.add(new Culprit(k.kind(), k.site(), v.count.sum(), v.bytes.sum(),
                Duration.ofNanos(now - v.oldestCreated))));
        return new LeakReport("leaked (owner garbage-collected unreleased)", list);
    }

    public static void addListener(LeakListener listener) {
        LISTENERS.add(listener);
    }

    public static boolean removeListener(LeakListener listener) {
        return LISTENERS.remove(listener);
    }

    /**
     * Collects garbage until the heap is settled: a full GC, reference processing and cleaners given time
     * to run (observed through a sentinel), a second full GC, then the queue drained.
     */
    public static void settle() {
        Object sentinel = new Object();
        WeakReference<Object> probe = new WeakReference<>(sentinel);
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
}
