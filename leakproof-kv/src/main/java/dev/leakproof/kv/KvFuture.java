package dev.leakproof.kv;

import dev.leakproof.core.WorkQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of an async operation that runs as a work item: a thread that blocks on it ({@link #join()},
 * {@link #get()}, {@link #get(long, TimeUnit)}) before the work ends takes the completion from the worker through
 * a {@link WorkQueue.Rendezvous} and completes the future itself, instead of waiting for the queue's completion
 * thread to do it: two hand-offs between threads instead of three. Everything else is the plain
 * {@link CompletableFuture}: dependent stages are plain futures, and a stage registered before completion runs
 * on the thread that completes this one — the completion thread, or the thread blocked in {@code join}/{@code get};
 * never a worker.
 *
 * @param <T> result type
 */
final class KvFuture<T> extends CompletableFuture<T> {
    private final WorkQueue.Rendezvous rendezvous;

    KvFuture(WorkQueue.Rendezvous rendezvous) {
        this.rendezvous = rendezvous;
    }

    WorkQueue.Rendezvous rendezvous() {
        return rendezvous;
    }

    @Override
    public T join() {
        if (!isDone()) {
            try {
                rendezvous.await(this, -1, false);
            } catch (InterruptedException e) {
                // not thrown when not interruptible; keep the flag as join does
                Thread.currentThread().interrupt();
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            rendezvous.await(this, -1, true);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        if (!isDone()) {
            long start = System.nanoTime();
            if (rendezvous.await(this, Math.max(0, nanos), true) == WorkQueue.Rendezvous.Outcome.TIMED_OUT) {
                throw new TimeoutException("no result within " + timeout + " " + unit);
            }
            nanos -= System.nanoTime() - start;
        }
        return super.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
