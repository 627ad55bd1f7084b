package dev.leakproof.core.internal;

import dev.leakproof.core.Culprit;
import dev.leakproof.core.LeakReport;
import dev.leakproof.core.TrackingLevel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scopes: a thread's stack of frames, each opened by try-with-resources and closed innermost first. A frame
 * is a <b>leak scope</b> (it collects the records made in it: detection by scope) or a <b>level scope</b> (it
 * sets the tracking level for creations made in it). Both are thread-confined, so the scopes of parallel
 * tests, soaks and clusters never see each other.
 *
 * <p>Design note. What "in it" means: a creation is in a frame when it runs on the frame's thread while the
 * frame is the innermost, or in work that thread handed to a {@code WorkQueue} while it was (the item carries
 * the frame to the worker with {@link #enter}, as it carried leak scopes before levels were scoped). Threads
 * started inside a frame do not inherit it: an inherited frame would outlive its scope in any pooled thread
 * (a thread started during a FULL soak would track at FULL for the rest of the process). The level of a frame
 * is its own for a level scope and the one around it for a leak scope; with no level scope around, the
 * process default ({@link Tracker}). A leak scope records every creation in it whatever the level, so a level
 * scope inside one does not stop its recording.
 *
 * <p>While any frame is open anywhere, {@link Tracker}'s gate has its scope bit set, so creations look for a
 * frame at all only then; the bit changes only when the count of open frames moves between 0 and 1.
 */
public final class Scope {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger OPEN = new AtomicInteger();
    /** {@link #level} of a frame with no level scope at or around it: the process default applies. */
    static final int DEFAULT_LEVEL = -1;

    final String name;
    final Scope parent;
    final Thread thread;
    /** The records of a leak scope; null for a level scope. */
    final Set<Record> records;
    /** The innermost leak scope at or around this frame, or null: where its creations are recorded. */
    final Scope collector;
    /** The level ordinal creations in this frame are tracked at, or {@link #DEFAULT_LEVEL}. */
    final int level;
    /** N of SAMPLED in this frame (one creation in N records), or 0 for the process's interval. */
    final int interval;
    private boolean closed;

    private Scope(String name, Scope parent, boolean collects, int level, int interval) {
        this.name = name;
        this.parent = parent;
        this.thread = Thread.currentThread();
        this.records = collects ? ConcurrentHashMap.newKeySet() : null;
        this.collector = collects ? this : parent != null ? parent.collector : null;
        this.level = level;
        this.interval = interval;
    }

    /**
     * Opens a leak scope on this thread, inside the frame open here before (if any).
     *
     * @param name shown in reports
     * @return the scope, now current on this thread
     */
    public static Scope open(String name) {
        Scope parent = CURRENT.get();
        return push(parent == null ? new Scope(name, null, true, DEFAULT_LEVEL, 0)
                : new Scope(name, parent, true, parent.level, parent.interval));
    }

    /**
     * Opens a level scope on this thread: creations in it are tracked at {@code level}.
     *
     * @param level    the level
     * @param interval N of SAMPLED in it, or 0 for the one around it (else the process's)
     * @return the scope, now current on this thread
     */
    public static Scope openLevel(TrackingLevel level, int interval) {
        Scope parent = CURRENT.get();
        int n = interval > 0 ? interval : parent != null ? parent.interval : 0;
        return push(new Scope("level " + level, parent, false, level.ordinal(), n));
    }

    private static Scope push(Scope s) {
        CURRENT.set(s);
        // the first frame sets the gate's scope bit; a frame opened while the first one's thread has not yet set
        // it (two threads opening at once) sets it itself, before anything is created in it
        int open = OPEN.incrementAndGet();
        if (open == 1) {
            Runnable hook = firstOpenHook;
            if (hook != null) {
                firstOpenHook = null;
                hook.run();
            }
        }
        if (open == 1 || !Tracker.scopeBitSet()) {
            Tracker.recomputeGate();
        }
        return s;
    }

    private static volatile Runnable firstOpenHook;

    /**
     * A test seam: runs {@code hook} once, on the thread whose open makes the first frame, after it is counted and
     * before the gate is set, so a test can open a frame on another thread in that window.
     *
     * @param hook what to run there
     */
    public static void onNextFirstOpen(Runnable hook) {
        firstOpenHook = hook;
    }

    /** @return whether a frame is open on any thread */
    static boolean anyOpen() {
        return OPEN.get() > 0;
    }

    /** @return the innermost frame open on this thread (or entered from a submitter), or null */
    public static Scope current() {
        return CURRENT.get();
    }

    /**
     * Makes {@code scope} the current frame of this thread (work handed to another thread stays in the frame
     * of the thread that submitted it).
     *
     * @param scope the frame, or null for none
     * @return the frame that was current before, to restore afterwards
     */
    public static Scope enter(Scope scope) {
        Scope before = CURRENT.get();
        if (scope != before) {
            if (scope == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(scope);
            }
        }
        return before;
    }

    public String name() {
        return name;
    }

    public boolean isClosed() {
        return closed;
    }

    /** @return the level set by this frame or around it, or null where the process default applies */
    public TrackingLevel level() {
        return level == DEFAULT_LEVEL ? null : TrackingLevel.values()[level];
    }

    /**
     * @return the records of this leak scope not released, by site; callable before and after close
     * @throws IllegalStateException if this is a level scope, which collects nothing
     */
    public LeakReport leaks() {
        if (records == null) {
            throw new IllegalStateException("'" + name + "' is a level scope: it sets a level and collects "
                    + "nothing; open a leak scope (Tracking.openScope) to list what a piece of work leaves");
        }
        return Reports.group("unreleased in scope '" + name + "'", records);
    }

    /**
     * Closes this frame; a leak scope sends a JFR event per culprit left. A second close does nothing.
     *
     * @throws WrongThreadException  if called on another thread than the one that opened it
     * @throws IllegalStateException if a scope opened inside it is still open
     */
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new WrongThreadException("scope '" + name + "' was opened on " + thread.getName()
                    + " and must be closed there, not on " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("scope '" + name + "' is not the innermost open scope on this thread: "
                    + "close the scopes opened inside it first");
        }
        closed = true;
        if (parent == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(parent);
        }
        if (OPEN.decrementAndGet() == 0) {
            Tracker.recomputeGate();
        }
        if (records != null) {
            for (Culprit c : leaks().culprits()) {
                Reports.emitLeak("scope", c);
            }
        }
    }
}
