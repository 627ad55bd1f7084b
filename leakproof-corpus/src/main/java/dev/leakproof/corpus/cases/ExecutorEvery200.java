package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every 200 iterations makes a {@link Executors#newFixedThreadPool(int) fixed pool} of two threads (default
 * names {@code pool-N-thread-M}), runs two tasks on it and drops it without {@code shutdown()}. A fixed pool has
 * no cleaner: its idle workers wait for work forever, so live threads rise by two per 200 iterations (0.01 per
 * iteration): a leak. The pools are listed only so that {@link #close()} can shut them down.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 2.0 / 200, culprit = "pool-",
        userFrame = "ExecutorEvery200\\.run", summary = "a 2-thread fixed pool made every 200 iterations, never shut down")
public final class ExecutorEvery200 implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final List<ExecutorService> pools = new ArrayList<>();
    private long calls;

    /** Creates the case; no pool yet. */
    public ExecutorEvery200() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 200 == 0) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> a = pool.submit(work::sink);
            Future<?> b = pool.submit(work::sink);
            try {
                a.get();
                b.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            pools.add(pool);
        }
    }

    @Override
    public void close() {
        pools.forEach(ExecutorService::shutdownNow);
    }
}
