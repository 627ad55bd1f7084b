package dev.leakproof.core.internal;

import dev.leakproof.core.Tracked;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A resource counted without a site, at {@link dev.leakproof.core.TrackingLevel#COUNTED}: it adds to its kind's
 * live totals when made and takes itself off once, on the first {@link #close()}. It holds no reference to the
 * owner and is not watched, so an owner that dies unreleased leaves it counted live: the totals then show the
 * leak as growth, which is what a soak judges; the sampled {@link Record}s name the sites.
 */
final class Counted implements Tracked {
    private static final VarHandle STATE;
    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Counted.class, "released", int.class);
            BYTES = l.findVarHandle(Counted.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Kind kind;
    private volatile int released;
    private volatile long bytes;

    Counted(Kind kind, long bytes) {
        this.kind = kind;
        this.bytes = bytes;
        kind.created(bytes);
    }

    @Override
    public void close() {
        if (STATE.compareAndSet(this, 0, 1)) {
            kind.released(bytes);
        }
    }

    @Override
    public void resize(long delta) {
        if (released == 0) {
            BYTES.getAndAdd(this, delta);
            kind.resized(delta);
        }
    }
}
