package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands every iteration's work to one fixed pool of four threads made in the constructor and waits for it. The
 * pool's threads are started once and reused; {@link #close()} shuts the pool down. Threads stay at the pool's
 * size: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads", summary = "one 4-thread pool reused by every iteration, shut down at close")
public final class ReusedThreadPool implements Runnable, AutoCloseable {
    private final AtomicInteger ids = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4,
            r -> new Thread(r, "corpus-reused-" + ids.incrementAndGet()));
    private final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);

    /** Creates the pool. */
    public ReusedThreadPool() {
    }

    @Override
    public void run() {
        try {
            pool.submit(() -> {
                Work w = work.get();
                w.request();
                return w.sink();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
