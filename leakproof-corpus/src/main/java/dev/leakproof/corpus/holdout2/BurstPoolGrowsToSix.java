package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fan-out stage on a {@link ThreadPoolExecutor} with no core threads, at most 6, a {@link SynchronousQueue}
 * (so a task finding every thread busy gets a new one) and a 10-minute keep-alive. Every 3,000 iterations a burst
 * of k tasks is handed over that must all run at once (each waits at a barrier for the other k-1, and the caller
 * waits for them all): k is 2 at call 3,000, 4 at call 12,000, and 6 from call 24,000 on. So live threads step to
 * 2, 4 and 6 and then stay at 6 for the rest of the run, the idle threads kept by the keep-alive: growth to the
 * pool's maximum, not a leak. The pool is shut down at close.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads",
        summary = "a 0..6 thread pool (SynchronousQueue) given bursts of 2, 4, then 6 concurrent tasks: 6 threads, then flat")
public final class BurstPoolGrowsToSix implements Runnable, AutoCloseable {
    private final Toil toil = new Toil();
    private final AtomicInteger names = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 6, 10, TimeUnit.MINUTES,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "holdout2-fanout-" + names.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private long calls;

    /** No thread until the first burst. */
    public BurstPoolGrowsToSix() {
    }

    @Override
    public void run() {
        toil.request();
        if (++calls % 3000 != 0) {
            return;
        }
        int k = calls < 12_000 ? 2 : calls < 24_000 ? 4 : 6;
        CountDownLatch together = new CountDownLatch(k);
        CountDownLatch done = new CountDownLatch(k);
        for (int i = 0; i < k; i++) {
            pool.execute(() -> {
                together.countDown();
                try {
                    together.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a burst", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
