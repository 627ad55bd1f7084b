package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Submits a background flush every 3,000 iterations to one {@link ThreadPoolExecutor} with 8 core threads (and
 * 8 at most). A pool below its core size starts a new thread for every task it is given, even when the others are
 * idle, so the pool grows lazily, by one thread per flush, until it has 8 threads at the 8th flush (call 24,000);
 * from then on it reuses them. Live threads rise in 8 steps, then stay flat for the rest of the run: a fill to a
 * bound (8 threads), not a leak. The pool is shut down at close.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads",
        summary = "flush every 3,000 iterations on an 8-core-thread pool: one new thread per flush up to 8, then flat")
public final class FlushPoolGrowsToEight implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong flushed = new AtomicLong();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "holdout-flush-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private long calls;

    /** Creates the pool; no thread until the first flush. */
    public FlushPoolGrowsToEight() {
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 3000 == 0) {
            long upTo = calls;
            pool.execute(() -> flushed.set(upTo));
        }
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
