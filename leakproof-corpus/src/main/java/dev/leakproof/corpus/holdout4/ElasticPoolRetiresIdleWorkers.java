package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An elastic fan-out pool: a {@link ThreadPoolExecutor} with no core threads, at most 4, a hand-off queue and a
 * 5 ms keep-alive. Every 500 iterations (10 ms or more of work) a request fans out 4 tasks and waits for all of
 * them, so up to 4 workers are started for the burst and, idle for longer than their keep-alive before the next,
 * retire again: thousands of threads are created and end over a run, but never more than 4 are alive, and after
 * {@code close()} none. The thread count moves between 0 and 4; the truth is bounded. A burst that finds the pool
 * full runs the task on the caller (the pool's caller-runs policy), so none is ever rejected.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads",
        summary = "a 0–4 thread pool with a 5 ms keep-alive; a 4-task burst every 500 iterations, workers retire between")
public final class ElasticPoolRetiresIdleWorkers implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 4, 5, TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("fanout-", 0).factory(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    private long calls;
    private long acc;

    /** No worker until the first burst. */
    public ElasticPoolRetiresIdleWorkers() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 500 == 0) {
            List<Callable<Long>> parts = new ArrayList<>(4);
            for (int i = 0; i < 4; i++) {
                long seed = calls + i;
                parts.add(() -> Long.rotateLeft(seed, 7) * 0x9E3779B97F4A7C15L);
            }
            try {
                for (Future<Long> f : pool.invokeAll(parts)) {
                    acc += f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the fan-out", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a fan-out task failed", e.getCause());
            }
        }
        calls++;
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the fan-out pool did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the fan-out pool to stop", e);
        }
    }
}
