package dev.leakproof.core;

import dev.leakproof.core.internal.ParkingExecutor;
import dev.leakproof.core.internal.SpinWait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A work queue that owns its work items: the API the 2015 post asked libuv for.
 *
 * <p>Items come only from {@link #allocate()}; {@link #submit} runs {@code work} on one of the queue's
 * worker threads, then {@code afterWork(result, error)} on the completion executor (a dedicated thread per
 * queue by default, like libuv's loop), then takes the item back into its pool. Ownership passes to the queue
 * at submit, so there is nothing for the caller to free and nothing to forget.
 * {@snippet :
 * try (WorkQueue queue = WorkQueue.create(WorkQueueOptions.named("db"))) {
 *     CompletableFuture<byte[]> value = queue.call(item -> db.get(key));   // allocate + submit
 *
 *     WorkItem item = queue.allocate();                                   // or by hand
 *     queue.submit(item, it -> db.get(key), (v, error) -> System.out.println(v));
 * }
 * }
 *
 * <p>Debug checks, always on: an item of another queue, or one not made by {@code allocate()}, throws
 * {@link IllegalArgumentException}; submitting an item twice, or touching it after it went back to the pool,
 * throws {@link IllegalStateException}; so does any call but {@code close()} after close. An item allocated
 * and then dropped unreleased is reported as a leak with its allocation site (resource kind
 * {@value #ITEM_KIND}), and keeps its share of {@code maxItems} and of scratch memory: a leaked item is a
 * real leak, as the post's {@code uv_work_t} was.
 *
 * <p>Threads. {@code work} runs on a worker, never anywhere else; {@code afterWork} never runs on a worker. It
 * runs on the completion executor, except for an item submitted with a {@link Rendezvous} on which a thread is
 * waiting when the work ends: the worker hands the item to that thread, which runs the after-work itself
 * (a {@code join()} costs two hand-offs between threads instead of three; see {@link Rendezvous}).
 *
 * <p>An exception thrown by {@code work} reaches {@code afterWork} as its {@code error}. An exception thrown
 * by {@code afterWork} is logged (logger {@code dev.leakproof}, ERROR) and the item is still taken back.
 *
 * <p>{@link #close()} stops accepting work, wakes callers waiting for an item (they fail with
 * {@link IllegalStateException}), waits for work in flight and for {@link #submit(Work, AfterWork)} and
 * {@link #call(Work)} calls in progress (up to {@link WorkQueueOptions#closeTimeout()}), stops the threads,
 * frees pooled items and logs the items still allocated with their sites: items a caller took with
 * {@link #allocate()} and still holds. An item that {@code submit(work, afterWork)} or {@code call} allocated is
 * never among them, since close waits for those calls to submit or release it. Called from an after-work
 * on the queue's own completion thread, close does not wait for itself: it runs the after-work queued behind
 * it on that thread, and the item whose after-work called it goes back when that after-work returns; called from
 * an after-work that a {@link Rendezvous} runs on a waiting thread, it does not wait for that item either. A second
 * {@code close()} does nothing: queues are closed from shutdown hooks and try-with-resources alike, and
 * closing twice loses nothing.
 */
public final class WorkQueue implements AutoCloseable {
    /** Resource kind under which items are tracked. */
    public static final String ITEM_KIND = "work-item";
    private static final ResourceKind ITEMS = Tracking.kind(ITEM_KIND, "work item allocated by a WorkQueue");

    private static final System.Logger LOG = System.getLogger("dev.leakproof");

    /**
     * The work, run on a worker thread.
     *
     * @param <R> result type
     */
    @FunctionalInterface
    public interface Work<R> {
        /**
         * @param item the item carrying this work (for its scratch memory)
         * @return the result handed to after-work
         * @throws Exception handed to after-work as its error
         */
        R run(WorkItem item) throws Exception;
    }

    /**
     * What runs after the work, on the completion executor.
     *
     * @param <R> result type
     */
    @FunctionalInterface
    public interface AfterWork<R> {
        /**
         * @param result the work's result, or null if it threw
         * @param error  what the work threw, or null
         */
        void done(R result, Throwable error);
    }

    private final WorkQueueOptions options;
    private final long canary = ThreadLocalRandom.current().nextLong() | 1L;
    private final ParkingExecutor workers;
    private final ParkingExecutor ownCompletion;
    private final Executor completion;
    private final Semaphore permits;
    private final PooledWorkItem[] pool;
    private int pooledCount;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger allocated = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Calls of submit(work, afterWork) between their allocate and their submit or release. */
    private final AtomicInteger submitting = new AtomicInteger();
    /** The thread in close(), woken when work finishes or a submitting call leaves; null before close. */
    private volatile Thread closer;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong recycled = new AtomicLong();
    /** After-works of this queue a {@link Rendezvous} is running on the current thread (close must not wait for them). */
    private final ThreadLocal<int[]> afterWorkHere = ThreadLocal.withInitial(() -> new int[1]);
    /** Rendezvous completers on the completion executor whose item a waiter took; at most maxItems (ring room). */
    private final AtomicInteger claimedCompleters = new AtomicInteger();

    private WorkQueue(WorkQueueOptions options) {
        this.options = options;
        this.permits = new Semaphore(options.maxItems());
        this.pool = new PooledWorkItem[options.maxItems()];
        // bounded rings with parking threads: no node or condition allocated per hand-off, never more tasks
        // than items; twice their number of slots, so a producer rarely laps onto a slot whose consumer has not
        // handed it back yet (it then waits for that store instead of being refused)
        this.workers = new ParkingExecutor(options.workers(), 2 * options.maxItems(), options.spin().toNanos(),
                Thread.ofPlatform().daemon().name(options.name() + "-worker-", 0).factory());
        if (options.completionExecutor() == null) {
            // room for the items in flight and for as many completers already claimed by a waiter (Rendezvous)
            ownCompletion = new ParkingExecutor(1, 2 * options.maxItems(),
                    Thread.ofPlatform().daemon().name(options.name() + "-completion").factory());
            completion = ownCompletion;
        } else {
            ownCompletion = null;
            completion = options.completionExecutor();
        }
    }

    /**
     * @param options how to build it
     * @return a started queue; close it
     * @throws NullPointerException if {@code options} is null
     */
    public static WorkQueue create(WorkQueueOptions options) {
        return new WorkQueue(java.util.Objects.requireNonNull(options, "options"));
    }

    /** @return the queue's name */
    public String name() {
        return options.name();
    }

    /** @return the options it was built with */
    public WorkQueueOptions options() {
        return options;
    }

    /**
     * Hands out an item: a pooled one, or a new one while fewer than {@code maxItems} exist.
     *
     * @return an item owned by the caller until it is submitted or released
     * @throws IllegalStateException      if the queue is closed, or closes while this call waits for an item
     * @throws RejectedExecutionException if all items are out ({@code FAIL}), or none came back in time
     *                                    ({@code BLOCK}); if the thread is interrupted while it waits, with an
     *                                    {@link InterruptedException} as its cause and the interrupt flag set
     */
    public WorkItem allocate() {
        checkOpen("allocate");
        if (!permits.tryAcquire()) {
            boolean got = false;
            if (options.whenExhausted() == WorkQueueOptions.WhenExhausted.BLOCK) {
                try {
                    got = acquireWithin(options.allocateTimeout().toNanos());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RejectedExecutionException("interrupted while waiting for a work item of queue '"
                            + name() + "'", e);
                }
            }
            if (!got) {
                throw new RejectedExecutionException("work queue '" + name() + "' has all " + options.maxItems()
                        + " items allocated or in flight" + (options.whenExhausted() == WorkQueueOptions.WhenExhausted.BLOCK
                        ? " and none came back within " + options.allocateTimeout() : "")
                        + ": raise maxItems, or look for items allocated and never submitted (Tracking.snapshot())");
            }
            checkOpenReleasing("allocate");
        }
        PooledWorkItem item = popPooled();
        if (item == null) {
            item = new PooledWorkItem(this, canary, options.scratchBytes());
            created.incrementAndGet();
        }
        item.handOut();
        item.setState(PooledWorkItem.ALLOCATED);
        allocated.incrementAndGet();
        item.token = ITEMS.track(options.scratchBytes(), item);
        return item;
    }

    /**
     * Waits for a permit until {@code timeoutNanos} have passed on the options' ticker, reading it again at least
     * every {@link Ticker#RECHECK_NANOS} (a fake ticker moved past the timeout is seen that soon).
     *
     * @return whether a permit was taken
     */
    private boolean acquireWithin(long timeoutNanos) throws InterruptedException {
        Ticker ticker = options.ticker();
        long start = ticker.read();
        while (true) {
            long left = timeoutNanos - (ticker.read() - start);
            if (left <= 0) {
                return false;
            }
            if (permits.tryAcquire(Math.min(left, Ticker.RECHECK_NANOS), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
    }

    /**
     * Runs {@code work} on a worker, then {@code afterWork} on the completion executor, then takes the item back.
     *
     * @param item      an item from this queue's {@link #allocate()}, not yet submitted
     * @param work      the work
     * @param afterWork called with the work's result or error
     * @param <R>       result type
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the item was not made by this queue
     * @throws IllegalStateException    if the item was already submitted or went back to the pool, or the queue is closed
     */
    public <R> void submit(WorkItem item, Work<? extends R> work, AfterWork<? super R> afterWork) {
        submit(item, work, afterWork, null);
    }

    @SuppressWarnings("unchecked")
    private <R> void submit(WorkItem item, Work<? extends R> work, AfterWork<? super R> afterWork,
                            Rendezvous rendezvous) {
        java.util.Objects.requireNonNull(item, "item");
        java.util.Objects.requireNonNull(work, "work");
        java.util.Objects.requireNonNull(afterWork, "afterWork");
        PooledWorkItem p = check(item);
        checkOpen("submit");
        if (!p.transition(PooledWorkItem.ALLOCATED, PooledWorkItem.SUBMITTED)) {
            throw p.state() == PooledWorkItem.SUBMITTED
                    ? new IllegalStateException("work item (generation " + p.generation() + ") of queue '" + name()
                    + "' submitted twice: the queue owns it from the first submit until its after-work returns")
                    : p.stale("submitted");
        }
        p.work = (Work<Object>) work;
        p.afterWork = (AfterWork<Object>) afterWork;
        p.scope = dev.leakproof.core.internal.Scope.current();
        p.rendezvous = rendezvous;
        p.workDone = false;
        allocated.decrementAndGet();
        inFlight.incrementAndGet();
        try {
            workers.execute(p);
        } catch (RejectedExecutionException e) {
            // closed between the check and here: complete the item with the error so nothing is lost
            p.error = new IllegalStateException("work queue '" + name() + "' "
                    + (closed.get() ? "is closed" : "refused the work: " + e.getMessage()), e);
            p.workDone = true;
            finish(p);
        }
    }

    /**
     * Allocates an item and submits {@code work} with it, in one step: the item is never the caller's, so
     * nothing can forget it, and {@link #close()} waits for this call to submit or release it (an item a
     * racing close saw allocated is never reported as leaked).
     *
     * @param work      the work
     * @param afterWork called with the work's result or error
     * @param <R>       result type
     * @throws NullPointerException       if an argument is null
     * @throws IllegalStateException      if the queue is closed, or closes before the work is submitted
     * @throws RejectedExecutionException if no item is available (see {@link #allocate()})
     */
    public <R> void submit(Work<? extends R> work, AfterWork<? super R> afterWork) {
        submit(work, afterWork, (Rendezvous) null);
    }

    /**
     * As {@link #submit(Work, AfterWork)}, and a thread waiting in {@code rendezvous} when the work ends runs
     * {@code afterWork} itself (see {@link Rendezvous}).
     *
     * @param work       the work
     * @param afterWork  called with the work's result or error
     * @param rendezvous from this queue's {@link #newRendezvous()}, not used before
     * @param <R>        result type
     * @throws NullPointerException       if an argument is null
     * @throws IllegalArgumentException   if the rendezvous belongs to another queue
     * @throws IllegalStateException      if the rendezvous was used before, the queue is closed, or it closes
     *                                    before the work is submitted
     * @throws RejectedExecutionException if no item is available (see {@link #allocate()})
     */
    public <R> void submit(Work<? extends R> work, AfterWork<? super R> afterWork, Rendezvous rendezvous) {
        java.util.Objects.requireNonNull(work, "work");
        java.util.Objects.requireNonNull(afterWork, "afterWork");
        if (rendezvous != null) {
            if (rendezvous.queue != this) {
                throw new IllegalArgumentException("rendezvous belongs to queue '" + rendezvous.queue.name()
                        + "', not to queue '" + name() + "': use the queue's own newRendezvous()");
            }
            if (rendezvous.bound) {
                throw new IllegalStateException("rendezvous of queue '" + name() + "' used twice: one per submit");
            }
            rendezvous.bound = true;
        }
        // counted before allocate reads the closed flag, as close sets the flag before it reads the count:
        // either this call sees the queue closed, or close sees the call and waits for it
        submitting.incrementAndGet();
        try {
            WorkItem item = allocate();
            try {
                this.<R>submit(item, work, afterWork, rendezvous);
            } catch (RuntimeException e) {
                if (((PooledWorkItem) item).state() == PooledWorkItem.ALLOCATED) {
                    item.release();
                }
                throw e;
            }
        } finally {
            submitting.decrementAndGet();
            wakeCloser();
        }
    }

    /**
     * Allocates an item, submits {@code work}, and completes the returned future on the completion executor.
     *
     * @param work the work
     * @param <R>  result type
     * @return completes with the work's result, or exceptionally with what it threw
     * @throws IllegalStateException      if the queue is closed
     * @throws RejectedExecutionException if no item is available (see {@link #allocate()})
     */
    public <R> CompletableFuture<R> call(Work<? extends R> work) {
        java.util.Objects.requireNonNull(work, "work");
        CompletableFuture<R> future = new CompletableFuture<>();
        this.<R>submit(work, (r, e) -> {
            if (e != null) {
                future.completeExceptionally(e);
            } else {
                future.complete(r);
            }
        });
        return future;
    }

    /** @return a rendezvous for one {@link #submit(Work, AfterWork, Rendezvous)} on this queue */
    public Rendezvous newRendezvous() {
        return new Rendezvous(this);
    }

    /** Runs an item's after-work on a thread waiting in a rendezvous, counted so a close from it does not wait for it. */
    private void finishHere(PooledWorkItem p) {
        int[] held = afterWorkHere.get();
        held[0]++;
        try {
            finish(p);
        } finally {
            held[0]--;
        }
    }

    /**
     * Where a thread waiting for one submitted item can take the item's after-work from the worker, so the
     * after-work runs on the waiting thread instead of going through the completion executor: a blocking wait
     * costs two hand-offs between threads (caller to worker, worker to caller) instead of three.
     *
     * <p>Design note. Each hand-off to a parked thread is a futex wake, and on a 2-vCPU virtual machine the
     * woken thread's vCPU may be halted: a bare park/unpark ping-pong measured 35 µs per round trip on an idle
     * machine here (docs/BENCHMARKS.md). So the waiter may first spin for {@link WorkQueueOptions#spin()} (none by
     * default; a worker that finds it spinning hands the item over with one compare-and-set and no unpark), then
     * parks. The
     * state is one int: NEW, a waiter SPINNING or PARKED, the item HANDED to it, READY (the work ended with nobody
     * waiting: a completer went to the completion executor), DONE (the after-work was claimed). The worker's
     * {@code handOff} and the waiter's registration race on that int, so exactly one of "handed to the waiter" and
     * "ready" happens; from READY, the completion executor's completer and a waiter arriving late race to claim
     * the after-work (the late waiter then runs it at once instead of waiting for the completion thread; a
     * claimed completer left on the completion executor does nothing, and at most {@code maxItems} of them are
     * ever queued, so the completion ring of {@code 2 × maxItems} never fills). A waiter that gives up (its
     * future completed another way, a timeout, an interrupt) sets NEW back; if the item was handed meanwhile it
     * runs the after-work all the same, since nobody else will.
     *
     * <p>The after-work then runs on the waiting thread, which is a thread of the caller, never a worker: what it
     * runs (a future's dependents) runs where it would have run had the future completed before the wait. One
     * waiter at a time; others wait the ordinary way.
     */
    public static final class Rendezvous {
        private static final int NEW = 0;
        private static final int SPINNING = 1;
        private static final int PARKED = 2;
        private static final int HANDED = 3;
        private static final int READY = 4;
        private static final int DONE = 5;

        /** What {@link #await} ended with. */
        public enum Outcome {
            /** The after-work ran on the waiting thread. */
            RAN_HERE,
            /** It runs on the completion executor (the work ended with nobody waiting), or the watched future
             *  completed another way: wait for the future the ordinary way. */
            ELSEWHERE,
            /** The timeout passed first; nothing was taken. */
            TIMED_OUT
        }

        private final WorkQueue queue;
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
        private volatile Thread waiter;
        /** Written by the worker before it sets HANDED, read by the waiter after it sees HANDED. */
        private PooledWorkItem item;
        /** Set by submit: a rendezvous serves one item (a debug check, as for items). */
        private boolean bound;

        private Rendezvous(WorkQueue queue) {
            this.queue = queue;
        }

        /** Runs on the completion executor when the work ended with nobody waiting: the after-work, unless claimed. */
        final Runnable completer = this::completeUnlessClaimed;

        /**
         * On the worker: hands the item to a waiting thread, or marks it READY for the completer.
         *
         * @return whether a waiter took it
         */
        boolean handOff(PooledWorkItem p) {
            item = p; // published by the compare-and-set below, whichever it is
            while (true) {
                int s = state.get();
                if (s == NEW) {
                    if (state.compareAndSet(NEW, READY)) {
                        return false;
                    }
                } else if (s == SPINNING || s == PARKED) {
                    if (state.compareAndSet(s, HANDED)) {
                        if (s == PARKED) {
                            LockSupport.unpark(waiter);
                        }
                        return true;
                    }
                } else {
                    throw new IllegalStateException("rendezvous of queue '" + queue.name() + "' handed off twice");
                }
            }
        }

        private void completeUnlessClaimed() {
            if (state.compareAndSet(READY, DONE)) {
                PooledWorkItem p = item;
                item = null;
                queue.finish(p);
            } else {
                queue.claimedCompleters.decrementAndGet();
            }
        }

        /**
         * Waits for the item's work to end and runs its after-work on this thread, unless it already went to the
         * completion executor, another thread is waiting here, or {@code watched} completes first (it wakes this
         * thread when it does).
         *
         * @param watched       the future the after-work completes; waiting stops when it is done
         * @param timeoutNanos  longest wait, or a negative number for no limit
         * @param interruptible whether an interrupt ends the wait ({@code get}) or is kept for later ({@code join})
         * @return how the wait ended
         * @throws InterruptedException if {@code interruptible} and the thread is interrupted before the item came
         *                              (the interrupt flag is cleared, as {@code Future.get} does)
         */
        public Outcome await(java.util.concurrent.CompletableFuture<?> watched, long timeoutNanos, boolean interruptible)
                throws InterruptedException {
            if (watched.isDone()) {
                return Outcome.ELSEWHERE;
            }
            if (state.get() == READY) {
                // the work ended before this wait began: take the after-work from the completer, unless too many
                // claimed completers already wait on the completion executor (their ring room is maxItems)
                if (queue.claimedCompleters.incrementAndGet() <= queue.options.maxItems()
                        && state.compareAndSet(READY, DONE)) {
                    PooledWorkItem p = item;
                    item = null;
                    queue.finishHere(p);
                    return Outcome.RAN_HERE;
                }
                queue.claimedCompleters.decrementAndGet();
                return Outcome.ELSEWHERE;
            }
            if (!state.compareAndSet(NEW, SPINNING)) {
                return Outcome.ELSEWHERE;
            }
            Thread me = Thread.currentThread();
            waiter = me;
            long start = System.nanoTime();
            long spin = queue.options.spin().toNanos();
            boolean keptInterrupt = false;
            boolean woken = false;
            // spin first (pauses, then yields: SpinWait), then park; but not when more work waits than there are
            // workers: the item's own work is then behind others, the wait is long, and a spinner would take a core
            // from the workers (measured: 64 in flight, 2.96 µs per operation with a waiter that spun, 0.98 without).
            // Its own item may still be queued: a caller joins right after submitting (with "any work queued" as the
            // rule, one getAsync().join() went from 0.76 to 20 µs)
            if (spin > 0 && queue.workers.pending() > queue.options.workers()) {
                spin = 0;
            }
            for (int turn = 0; spin > 0 && state.get() == SPINNING && !watched.isDone() && SpinWait.turn(turn, start, spin);
                 turn++) {
                // the condition is the wait
            }
            try {
                while (true) {
                    int s = state.get();
                    if (s == HANDED) {
                        runHere();
                        return Outcome.RAN_HERE;
                    }
                    long waited = System.nanoTime() - start;
                    boolean late = timeoutNanos >= 0 && waited >= timeoutNanos;
                    boolean interrupted = false;
                    if (Thread.interrupted()) {
                        // join keeps the interrupt for later; get ends the wait, unless the item came meanwhile
                        keptInterrupt = true;
                        interrupted = interruptible;
                    }
                    if (watched.isDone() || late || interrupted) {
                        if (!state.compareAndSet(s, NEW)) {
                            continue; // handed meanwhile: run it, nobody else will (an interrupt stays set)
                        }
                        waiter = null;
                        if (interrupted) {
                            keptInterrupt = false;
                            throw new InterruptedException("interrupted while waiting for a work item of queue '"
                                    + queue.name() + "'");
                        }
                        return late && !watched.isDone() ? Outcome.TIMED_OUT : Outcome.ELSEWHERE;
                    }
                    if (s == SPINNING) {
                        if (waited < spin) {
                            Thread.onSpinWait();
                            continue;
                        }
                        if (!woken) {
                            // any other completion of the future (orTimeout, cancel, complete) must wake the park
                            woken = true;
                            watched.whenComplete((r, e) -> LockSupport.unpark(me));
                        }
                        state.compareAndSet(SPINNING, PARKED); // if handed meanwhile, the loop sees it
                        continue;
                    }
                    if (timeoutNanos >= 0) {
                        LockSupport.parkNanos(this, timeoutNanos - waited);
                    } else {
                        LockSupport.park(this);
                    }
                }
            } finally {
                if (keptInterrupt) {
                    me.interrupt();
                }
            }
        }

        private void runHere() {
            PooledWorkItem p = item;
            item = null;
            waiter = null;
            state.set(DONE);
            queue.finishHere(p);
        }
    }

    /** @return the counts now */
    public WorkQueueStats stats() {
        int pooled;
        synchronized (pool) {
            pooled = pooledCount;
        }
        return new WorkQueueStats(allocated.get(), inFlight.get(), pooled, created.get(), recycled.get());
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closer = Thread.currentThread();
        // callers blocked in allocate wake one after the other: each takes this permit, sees the queue closed,
        // gives it back and fails (checkOpenReleasing)
        permits.release();
        // on our own completion thread, the item whose after-work called close is in flight until it returns,
        // and the after-work queued behind it can only run here
        boolean onCompletionThread = ownCompletion != null && ownCompletion.ownsCurrentThread();
        int self = (onCompletionThread ? 1 : 0) + afterWorkHere.get()[0];
        Ticker ticker = options.ticker();
        long start = ticker.read();
        long timeout = options.closeTimeout().toNanos();
        while (inFlight.get() > self || submitting.get() > 0) {
            if (onCompletionThread && ownCompletion.runOnePending()) {
                continue;
            }
            long left = timeout - (ticker.read() - start);
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
            // the last item's finish unparks us; the slice only bounds how late a moved ticker is seen
            LockSupport.parkNanos(this, Math.min(left, Ticker.RECHECK_NANOS));
        }
        workers.shutdown();
        if (ownCompletion != null) {
            ownCompletion.shutdown();
        }
        try {
            workers.awaitTermination(Math.max(0, timeout - (ticker.read() - start)));
            if (ownCompletion != null) {
                ownCompletion.awaitTermination(Math.max(0, timeout - (ticker.read() - start)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (pool) {
            for (int i = 0; i < pooledCount; i++) {
                pool[i].retire();
                pool[i] = null;
            }
            pooledCount = 0;
        }
        int stillInFlight = inFlight.get() - self;
        if (stillInFlight > 0) {
            LOG.log(System.Logger.Level.WARNING, "work queue '" + name() + "' closed with " + stillInFlight
                    + " items still in flight after " + options.closeTimeout() + "; they are freed when they finish");
        }
        int leaked = allocated.get();
        if (leaked > 0) {
            LeakReport sites = new LeakReport("allocated from a closed queue and never submitted nor released",
                    Tracking.snapshot().ofKind(ITEM_KIND));
            LOG.log(System.Logger.Level.WARNING, "work queue '" + name() + "' closed with " + leaked
                    + " items allocated and never submitted nor released.\n" + sites.toText()
                    + (sites.isEmpty() ? "Sites are recorded with -D" + Tracking.LEVEL_PROPERTY + "=full.\n" : ""));
        }
    }

    // ---- internals

    private PooledWorkItem check(WorkItem item) {
        if (!(item instanceof PooledWorkItem p)) {
            throw new IllegalArgumentException("work item " + item.getClass().getName()
                    + " was not obtained from WorkQueue.allocate(): queues only take items they allocated");
        }
        if (p.queue != this || p.canary != canary) {
            throw new IllegalArgumentException("work item belongs to queue '" + p.queue.name()
                    + "', not to queue '" + name() + "': submit it to the queue that allocated it");
        }
        return p;
    }

    private void checkOpen(String what) {
        if (closed.get()) {
            throw new IllegalStateException("cannot " + what + ": work queue '" + name() + "' is closed");
        }
    }

    private void checkOpenReleasing(String what) {
        if (closed.get()) {
            permits.release();
            checkOpen(what);
        }
    }

    void release(PooledWorkItem p) {
        check(p);
        if (!p.transition(PooledWorkItem.ALLOCATED, PooledWorkItem.POOLED)) {
            throw p.state() == PooledWorkItem.SUBMITTED
                    ? new IllegalStateException("work item of queue '" + name() + "' was submitted: "
                    + "the queue takes it back by itself after its after-work; do not release it")
                    : p.stale("released");
        }
        allocated.decrementAndGet();
        recycle(p);
    }

    /** Called on a worker when the work is done: hands the item to the completion executor. */
    void complete(PooledWorkItem p) {
        Rendezvous r = p.rendezvous;
        if (r != null) {
            if (r.handOff(p)) {
                return; // the waiting thread runs the after-work
            }
            // nobody waits yet: the completion executor runs it, unless a waiter arriving first claims it
            try {
                completion.execute(r.completer);
                wakeCloser();
            } catch (RejectedExecutionException e) {
                r.completer.run();
            }
            return;
        }
        try {
            completion.execute(p);
            // a close running on the completion thread runs this after-work itself
            wakeCloser();
        } catch (RejectedExecutionException e) {
            // the completion executor is gone (closing) or full: complete here rather than lose the callback
            finish(p);
        }
    }

    private void wakeCloser() {
        Thread c = closer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    /** Runs after-work, then takes the item back. */
    void finish(PooledWorkItem p) {
        Throwable error = p.error;
        Object result = p.result;
        try {
            p.afterWork.done(error == null ? result : null, error);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "after-work of a work item of queue '" + name()
                    + "' threw; the item is taken back all the same", t);
        } finally {
            p.setState(PooledWorkItem.POOLED);
            recycle(p);
            inFlight.decrementAndGet();
            wakeCloser();
        }
    }

    private void recycle(PooledWorkItem p) {
        p.work = null;
        p.afterWork = null;
        p.result = null;
        p.error = null;
        p.scope = null;
        p.rendezvous = null;
        p.token.close();
        p.token = dev.leakproof.core.internal.Tracker.NOOP;
        recycled.incrementAndGet();
        boolean pooled = false;
        if (!closed.get() && options.pooling()) {
            synchronized (pool) {
                if (pooledCount < pool.length) {
                    pool[pooledCount++] = p;
                    pooled = true;
                }
            }
        }
        if (!pooled) {
            p.retire();
        }
        permits.release();
    }

    private PooledWorkItem popPooled() {
        synchronized (pool) {
            if (pooledCount == 0) {
                return null;
            }
            PooledWorkItem p = pool[--pooledCount];
            pool[pooledCount] = null;
            return p;
        }
    }
}
