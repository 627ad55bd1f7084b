package dev.leakproof.core.internal;

import dev.leakproof.core.Site;
import dev.leakproof.core.Tracked;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resource that recorded its site: a phantom reference to its owner, so the tracker never keeps an owner
 * alive and learns from {@link LeakDetector}'s queue when one died unreleased.
 *
 * <p>A record is live until it is released ({@link #close()}) or found leaked ({@link #markLeaked()}),
 * whichever comes first: the state moves once, by compare-and-set, so a release racing the detector counts
 * once. While live it sits in {@link #LIVE} (what a snapshot groups) and in every leak scope it was created in.
 */
final class Record extends java.lang.ref.PhantomReference<Object> implements Tracked {
    /** Every live record. */
    static final Set<Record> LIVE = ConcurrentHashMap.newKeySet();

    private static final int LIVE_STATE = 0;
    private static final int RELEASED = 1;
    private static final int LEAKED = 2;
    private static final VarHandle STATE;
    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Record.class, "state", int.class);
            BYTES = l.findVarHandle(Record.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Kind kind;
    final Site site;
    final long createdNanos = System.nanoTime();
    final Scope scope;
    private volatile int state = LIVE_STATE;
    private volatile long bytes;

    /**
     * Counts the resource in its kind and adds it to the live set, to the leak scope {@code scope} and to every
     * leak scope around it.
     */
    Record(Object owner, Kind kind, long bytes, Site site, Scope scope) {
        super(owner, LeakDetector.QUEUE);
        this.kind = kind;
        this.bytes = bytes;
        this.site = site;
        this.scope = scope;
        kind.created(bytes);
        LIVE.add(this);
        for (Scope s = scope; s != null; s = s.parent != null ? s.parent.collector : null) {
            s.records.add(this);
        }
    }

    @Override
    public void close() {
        if (STATE.compareAndSet(this, LIVE_STATE, RELEASED)) {
            LIVE.remove(this);
            for (Scope s = scope; s != null; s = s.parent != null ? s.parent.collector : null) {
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

    /**
     * The owner died unreleased: moves the record from live to leaked, in its kind's counters too. It stays in
     * the scopes it belongs to, which report it as unreleased.
     *
     * @return false if it was released first
     */
    boolean markLeaked() {
        if (!STATE.compareAndSet(this, LIVE_STATE, LEAKED)) {
            return false;
        }
        LIVE.remove(this);
        kind.leaked(bytes);
        return true;
    }
}
