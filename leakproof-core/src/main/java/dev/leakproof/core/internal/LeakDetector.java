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

    /**
     * Leaks of one site and kind, since start. Updated and read under its own lock: the detector thread and
     * {@link #detectNow()} record leaks while {@link #leaked()} reads, and a report must never show an aggregate
     * half-made (a count of 0, or a count without its bytes). Leaks are rare; the lock is never contended on a hot
     * path.
     */
    private static final class Leaked {
        private long count;
        private long bytes;
        private long oldestCreated = Long.MAX_VALUE;

        /** @return the count after adding this leak */
        synchronized long add(long leakedBytes, long createdNanos) {
            bytes += leakedBytes;
            oldestCreated = Math.min(oldestCreated, createdNanos);
            return ++count;
        }

        synchronized Culprit culprit(SiteKind key, long now) {
            return new Culprit(key.kind(), key.site(), count, bytes, Duration.ofNanos(now - oldestCreated));
        }
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
        long countNow = agg.add(b, r.createdNanos);
        Duration age = Duration.ofNanos(System.nanoTime() - r.createdNanos);
        Culprit leak = new Culprit(r.kind.name(), r.site, 1, b, age);
        if (countNow == 1) {
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
        LEAKED.forEach((k, v) -> {
            Culprit c = v.culprit(k, now);
            // an aggregate made by computeIfAbsent whose first leak is not added yet
            if (c.count() > 0) {
                list.add(c);
            }
        });
        return new LeakReport("leaked (owner garbage-collected unreleased)", list);
    }

    public static void addListener(LeakListener listener) {
        LISTENERS.add(listener);
    }

    public static boolean removeListener(LeakListener listener) {
        return LISTENERS.remove(listener);
    }

    /**
     * Collects garbage until the heap is settled: a full collection, then a wait until the JDK's reference
     * handler and the cleaner threads have handed on and run what that collection found, a second full collection
     * (to free what the cleaners let go of), then this queue drained.
     *
     * <p>Design note. A fixed pause after the first collection is either too short on a loaded machine or most
     * of the cost on an idle one (it was 10 of 21 ms). Instead a sentinel weak reference with a queue of its own
     * tells when the reference handler has reached this collection's references, and the handler and every
     * cleaner thread ({@code Common-Cleaner}, {@code Cleaner-N}, {@code Finalizer}, Netty's cleaner) is then
     * watched until all of them are seen parked twice in a row, 50 µs apart: each waits on an empty queue when it
     * has nothing left to do. (The handler itself cannot be watched so: it waits in native code, which the JVM
     * reports as RUNNABLE.) Each wait is bounded by {@value #SETTLE_IDLE_LIMIT_MILLIS} ms. Measured on the soak's
     * samples: 18–25 ms a settle instead of 24–46 ms on a loaded 2-core machine, with the same instrument floors;
     * leaving out the second collection raised the heap floor of a Deflater churn from 0.66 to 6.6 B/iteration.
     */
    public static void settle() {
        ReferenceQueue<Object> handed = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), handed);
        long deadline = System.nanoTime() + 2_000_000_000L;
        System.gc();
        // a concurrent collector may return from System.gc() before the sentinel is cleared
        while (sentinel.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        try {
            handed.remove(SETTLE_IDLE_LIMIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Reference.reachabilityFence(sentinel);
        awaitReferenceThreadsIdle(System.nanoTime() + SETTLE_IDLE_LIMIT_MILLIS * 1_000_000L);
        System.gc();
        detectNow();
    }

    private static final long SETTLE_IDLE_LIMIT_MILLIS = 20;

    /** Waits until every reference-processing thread is parked twice in a row, or until {@code deadline}. */
    private static void awaitReferenceThreadsIdle(long deadline) {
        List<Thread> watched = referenceThreads();
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() < deadline) {
            boolean idle = true;
            for (Thread t : watched) {
                Thread.State s = t.getState();
                if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && s != Thread.State.TERMINATED) {
                    idle = false;
                    break;
                }
            }
            quiet = idle ? quiet + 1 : 0;
            if (quiet < 2) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
        }
    }

    /** The live threads that process references: the JDK's handler, finalizer and cleaners, and libraries' cleaners. */
    private static List<Thread> referenceThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        List<Thread> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = all[i].getName();
            if (name.equals("Finalizer") || name.contains("Cleaner")) {
                out.add(all[i]);
            }
        }
        return out;
    }
}
