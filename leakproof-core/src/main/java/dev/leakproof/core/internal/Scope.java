package dev.leakproof.core.internal;

import dev.leakproof.core.Culprit;
import dev.leakproof.core.LeakReport;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Detection by scope: the records made on one thread between {@link #open} and {@link #close()}.
 *
 * <p>Each thread has its own stack of scopes (a thread local, innermost on top, each scope linking its
 * parent), so scopes of parallel tests never see each other's records; a record joins the scope current on
 * its thread and every scope around it. Work a thread hands to another (a {@code WorkQueue} item) carries
 * its scope there with {@link #enter}. While any scope is open anywhere, {@link Tracker}'s gate has its scope
 * bit set, so creations look for the current scope at all only then.
 */
public final class Scope {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger OPEN = new AtomicInteger();

    final String name;
    final Scope parent;
    final Thread thread;
    final Set<Record> records = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private Scope(String name, Scope parent, Thread thread) {
        this.name = name;
        this.parent = parent;
        this.thread = thread;
    }

    /**
     * Opens a scope on this thread, inside the one open here before (if any).
     *
     * @param name shown in reports
     * @return the scope, now current on this thread
     */
    public static Scope open(String name) {
        Scope s = new Scope(name, CURRENT.get(), Thread.currentThread());
        CURRENT.set(s);
        OPEN.incrementAndGet();
        Tracker.recomputeGate();
        return s;
    }

    /** @return whether a scope is open on any thread */
    static boolean anyOpen() {
        return OPEN.get() > 0;
    }

    /** @return the innermost scope open on this thread, or null */
    public static Scope current() {
        return CURRENT.get();
    }

    /**
     * Makes {@code scope} the current scope of this thread (work handed to another thread stays
     * attributed to the scope that submitted it).
     *
     * @param scope the scope, or null for none
     * @return the scope that was current before, to restore afterwards
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

    /** @return the records of this scope not released, by site; callable before and after close */
    public LeakReport leaks() {
        return Reports.group("unreleased in scope '" + name + "'", records);
    }

    /**
     * Stops recording into this scope and sends a JFR event per culprit left; a second close does nothing.
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
        OPEN.decrementAndGet();
        Tracker.recomputeGate();
        for (Culprit c : leaks().culprits()) {
            Reports.emitLeak("scope", c);
        }
    }
}
