package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands every second request to a fixed pool of two worker threads, whose task appends a {@code Breadcrumb}
 * (a record of a {@code long} and an {@code int}: 24 bytes) to a per-thread trail kept in a static
 * {@link ThreadLocal}, for "debugging the last requests of this thread", and never trims it. Pool threads live as
 * long as the pool, so each trail is reachable from its worker {@link Thread}'s thread-local map and grows without
 * bound: 24 bytes of breadcrumb plus a 4-byte slot of the trail's array every two iterations, 14 bytes per
 * iteration (before the list's slack): a heap leak whose path from a GC root goes through a thread, not a field.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 14,
        culprit = "Breadcrumb|ThreadLocal|ArrayList|Object\\[\\]", userFrame = "ThreadLocalBreadcrumbs",
        summary = "a static ThreadLocal trail on pooled worker threads, one 24 B record per 2 iterations, never trimmed")
public final class ThreadLocalBreadcrumbs implements Runnable, AutoCloseable {
    private static final ThreadLocal<List<Breadcrumb>> TRAIL = ThreadLocal.withInitial(ArrayList::new);
    private final Busy busy = new Busy();
    private final AtomicInteger threadIds = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "holdout-worker-" + threadIds.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private long calls;

    /** A step of a request, remembered for debugging. @param at the request @param op what it did */
    record Breadcrumb(long at, int op) {
    }

    /** Starts the (lazily created) worker pool. */
    public ThreadLocalBreadcrumbs() {
    }

    @Override
    public void run() {
        busy.request();
        long n = ++calls;
        if ((n & 1) == 0) {
            try {
                workers.submit(() -> record(n)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void record(long n) {
        TRAIL.get().add(new Breadcrumb(n, (int) (n & 7)));
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
