package dev.leakproof.core;

import dev.leakproof.core.internal.Scope;
import dev.leakproof.core.internal.Tracker;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The only {@link WorkItem} implementation. It is its own {@link Runnable} twice over (first on a worker,
 * then on the completion executor), so a round trip through the queue allocates nothing.
 */
final class PooledWorkItem implements WorkItem, Runnable {
    static final int POOLED = 0;
    static final int ALLOCATED = 1;
    static final int SUBMITTED = 2;
    static final int RETIRED = 3;

    final WorkQueue queue;
    final long canary;
    private final AtomicInteger state = new AtomicInteger(POOLED);
    private final Arena scratchArena;
    private final MemorySegment scratch;
    private long scratchOffset;
    private volatile long generation;

    // set at submit, cleared at recycle
    WorkQueue.Work<Object> work;
    WorkQueue.AfterWork<Object> afterWork;
    Object result;
    Throwable error;
    Scope scope;
    WorkQueue.Rendezvous rendezvous;
    boolean workDone;
    Tracked token = Tracker.NOOP;

    PooledWorkItem(WorkQueue queue, long canary, long scratchBytes) {
        this.queue = queue;
        this.canary = canary;
        if (scratchBytes > 0) {
            scratchArena = Arena.ofShared();
            scratch = scratchArena.allocate(scratchBytes, 16);
        } else {
            scratchArena = null;
            scratch = MemorySegment.NULL;
        }
    }

    int state() {
        return state.get();
    }

    boolean transition(int from, int to) {
        return state.compareAndSet(from, to);
    }

    void setState(int s) {
        state.set(s);
    }

    void handOut() {
        generation++;
        scratchOffset = 0;
    }

    void retire() {
        state.set(RETIRED);
        if (scratchArena != null) {
            scratchArena.close();
        }
    }

    @Override
    public String queueName() {
        return queue.name();
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public MemorySegment scratch(long byteSize) {
        int s = state.get();
        if (s != ALLOCATED && s != SUBMITTED) {
            throw stale("used");
        }
        if (byteSize < 0) {
            throw new IllegalArgumentException("scratch size must not be negative, got " + byteSize);
        }
        long start = (scratchOffset + 7) & ~7L;
        if (start + byteSize > scratch.byteSize()) {
            throw new IllegalArgumentException("work item of queue '" + queue.name() + "' has "
                    + Math.max(0, scratch.byteSize() - start) + " scratch bytes left, " + byteSize
                    + " requested: raise WorkQueueOptions.scratchBytes (now " + scratch.byteSize() + ")");
        }
        scratchOffset = start + byteSize;
        return scratch.asSlice(start, byteSize);
    }

    @Override
    public void release() {
        queue.release(this);
    }

    IllegalStateException stale(String what) {
        return new IllegalStateException("work item (generation " + generation + ") of queue '" + queue.name()
                + "' " + what + " after it went back to the pool: an item belongs to the queue once its "
                + "after-work returns; allocate a new one");
    }

    @Override
    public void run() {
        if (!workDone) {
            Scope before = Scope.enter(scope);
            try {
                result = work.run(this);
            } catch (Throwable t) {
                error = t;
            } finally {
                Scope.enter(before);
            }
            workDone = true;
            queue.complete(this);
        } else {
            queue.finish(this);
        }
    }

    @Override
    public String toString() {
        return "WorkItem[queue=" + queue.name() + ", generation=" + generation + ", state=" + state.get() + "]";
    }
}
