package dev.leakproof.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of threads fed by a bounded array queue, that hands off work without allocating.
 *
 * <p>Design note. {@code ThreadPoolExecutor} over an {@code ArrayBlockingQueue} allocates a condition node
 * every time an idle thread waits (AQS), so each hand-off to a sleeping worker costs garbage. Here the queue is
 * Vyukov's bounded MPMC ring (a sequence number per slot; "Bounded MPMC queue", 1024cores.net), and idle
 * threads park with {@link LockSupport}, advertised by a flag per thread: a producer enqueues, then wakes one
 * thread whose flag it clears; a thread sets its flag, polls once more, then parks — so a task enqueued while
 * it was going idle is either seen by that last poll or followed by an unpark. Nothing is allocated per task.
 *
 * <p>Spinning. With {@code spinNanos > 0}, a thread that ran a task (one thread at a time) polls the ring for up
 * to that long ({@link SpinWait}: pauses, then yields) before it goes idle, and is counted as spinning meanwhile; a
 * producer that finds no more tasks queued than threads spinning unparks nobody. On a virtual machine waking a parked thread costs
 * tens of microseconds (the other vCPU is halted; {@code KvSideBySideBenchmark.parkUnparkRoundTrip}), so a
 * task that follows another within the spin is handed over through the ring alone. A thread spins only after it
 * ran a task, so an idle executor costs nothing; a busy one costs at most {@code spinNanos} of one core per task
 * gap. The spinner leaves by decrementing the count, setting its idle flag and polling once more: a producer
 * that saw it spinning offered before that decrement, so the last poll sees the task.
 */
public final class ParkingExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger("dev.leakproof");
    private static final long PARK_NANOS = 50_000_000L;

    private final Object[] buffer;
    private final AtomicLongArray sequence;
    private final int mask;
    private final AtomicLong enqueuePos = new AtomicLong();
    private final AtomicLong dequeuePos = new AtomicLong();
    private final Thread[] threads;
    private final AtomicIntegerArray idle;
    private final AtomicInteger spinning = new AtomicInteger();
    private final long spinNanos;
    private volatile boolean shutdown;

    /**
     * @param threads  pool size
     * @param capacity queue bound (rounded up to a power of two)
     * @param factory  makes the threads
     */
    public ParkingExecutor(int threads, int capacity, ThreadFactory factory) {
        this(threads, capacity, 0, factory);
    }

    /**
     * @param threads   pool size
     * @param capacity  queue bound (rounded up to a power of two)
     * @param spinNanos how long a thread that ran a task polls for the next before it parks (0: never spins)
     * @param factory   makes the threads
     */
    public ParkingExecutor(int threads, int capacity, long spinNanos, ThreadFactory factory) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be 0 or more, got " + spinNanos);
        }
        this.spinNanos = spinNanos;
        int cap = capacity <= 2 ? 2 : Integer.highestOneBit(capacity - 1) << 1;
        this.buffer = new Object[cap];
        this.sequence = new AtomicLongArray(cap);
        for (int i = 0; i < cap; i++) {
            sequence.set(i, i);
        }
        this.mask = cap - 1;
        this.threads = new Thread[threads];
        this.idle = new AtomicIntegerArray(threads);
        for (int i = 0; i < threads; i++) {
            int index = i;
            this.threads[i] = factory.newThread(() -> loop(index));
        }
        for (Thread t : this.threads) {
            t.start();
        }
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("executor is shut down");
        }
        while (!offer(task)) {
            // a slot a consumer has taken (dequeuePos moved) but not yet handed back (its sequence not yet set)
            // looks full to the producer that laps to it: not full, so wait for that consumer's next store
            if (enqueuePos.get() - dequeuePos.get() >= buffer.length) {
                throw new RejectedExecutionException("executor queue is full (" + buffer.length + " tasks)");
            }
            Thread.onSpinWait();
        }
        if (shutdown) {
            // shut down between the check and the offer: the threads may be gone, so run what is left here
            // rather than strand it (caller-runs, only in this race)
            drain();
            return;
        }
        int spinners = spinning.get();
        // a spinner takes the task through the ring; wake a sleeper only for the tasks beyond the spinners
        if (spinners > 0 && enqueuePos.get() - dequeuePos.get() <= spinners) {
            return;
        }
        for (int i = 0; i < threads.length; i++) {
            if (idle.get(i) == 1 && idle.compareAndSet(i, 1, 0)) {
                LockSupport.unpark(threads[i]);
                return;
            }
        }
    }

    /** @return tasks queued and not yet taken by a thread (a snapshot) */
    public long pending() {
        return Math.max(0, enqueuePos.get() - dequeuePos.get());
    }

    /** @return whether the calling thread is one of this executor's threads */
    public boolean ownsCurrentThread() {
        Thread current = Thread.currentThread();
        for (Thread t : threads) {
            if (t == current) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs one queued task on the calling thread, if there is one: how a thread of this executor that is busy
     * waiting for queued tasks to have run (a close called from a task) gets them run.
     *
     * @return whether a task ran
     */
    public boolean runOnePending() {
        Object task = poll();
        if (task == null) {
            return false;
        }
        run((Runnable) task);
        return true;
    }

    /** Stops taking tasks; queued ones still run. */
    public void shutdown() {
        shutdown = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits for the threads to end after {@link #shutdown()}; once they have, runs any task that reached the
     * queue after they left on the calling thread, so that no task is ever stranded. Called on one of this
     * executor's own threads, it waits for the others only (that one ends when its task returns).
     *
     * @param nanos longest wait
     * @return whether every thread ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                return false;
            }
        }
        drain();
        return true;
    }

    private void drain() {
        Object task;
        while ((task = poll()) != null) {
            run((Runnable) task);
        }
    }

    private void loop(int index) {
        boolean ran = false;
        while (true) {
            Object task = poll();
            if (task != null) {
                run((Runnable) task);
                ran = true;
                continue;
            }
            // one spinner at most: a second would only take a core from the thread that submits or joins
            if (ran && spinNanos > 0 && spinning.compareAndSet(0, 1)) {
                ran = false;
                task = spinPoll();
                if (task != null) {
                    run((Runnable) task);
                    ran = true;
                    continue;
                }
            }
            if (shutdown) {
                return;
            }
            idle.set(index, 1);
            task = poll();
            if (task != null) {
                idle.set(index, 0);
                run((Runnable) task);
                continue;
            }
            if (shutdown) {
                idle.set(index, 0);
                return;
            }
            LockSupport.parkNanos(this, PARK_NANOS);
            idle.set(index, 0);
        }
    }

    /** Polls for up to {@code spinNanos} as the one spinner; null if no task came (or shutdown). */
    private Object spinPoll() {
        // counted as spinning by the caller's compare-and-set
        try {
            long start = System.nanoTime();
            for (int turn = 0; !shutdown && SpinWait.turn(turn, start, spinNanos); turn++) {
                Object task = poll();
                if (task != null) {
                    return task;
                }
            }
            return null;
        } finally {
            spinning.decrementAndGet();
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "a task threw; the thread goes on", t);
        }
    }

    private boolean offer(Object e) {
        long pos = enqueuePos.get();
        int idx;
        while (true) {
            idx = (int) (pos & mask);
            long diff = sequence.get(idx) - pos;
            if (diff == 0) {
                if (enqueuePos.compareAndSet(pos, pos + 1)) {
                    break;
                }
                pos = enqueuePos.get();
            } else if (diff < 0) {
                return false;
            } else {
                pos = enqueuePos.get();
            }
        }
        buffer[idx] = e;
        sequence.set(idx, pos + 1);
        return true;
    }

    private Object poll() {
        long pos = dequeuePos.get();
        int idx;
        while (true) {
            idx = (int) (pos & mask);
            long diff = sequence.get(idx) - (pos + 1);
            if (diff == 0) {
                if (dequeuePos.compareAndSet(pos, pos + 1)) {
                    break;
                }
                pos = dequeuePos.get();
            } else if (diff < 0) {
                return null;
            } else {
                pos = dequeuePos.get();
            }
        }
        Object e = buffer[idx];
        buffer[idx] = null;
        sequence.set(idx, pos + mask + 1);
        return e;
    }
}
