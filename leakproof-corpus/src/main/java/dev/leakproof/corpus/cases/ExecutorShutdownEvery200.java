package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Every 200 iterations makes a 2-thread fixed pool, runs two tasks on it, then shuts it down and waits for it to
 * terminate. Threads come and go; none outlives its 200 iterations: not a leak (the twin of
 * {@link ExecutorEvery200}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads", summary = "a 2-thread pool every 200 iterations, shut down and awaited")
public final class ExecutorShutdownEvery200 implements Runnable {
    private final Work work = new Work();
    private long calls;

    /** Creates the case. */
    public ExecutorShutdownEvery200() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 200 == 0) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                pool.submit(work::sink).get();
                pool.submit(work::sink).get();
                pool.shutdown();
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pool did not terminate in 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
