package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a thread named {@code corpus-sleeper-N} every 500 iterations that waits until the case is closed.
 * Nothing stops one during the run, so live threads rise by one per 500 iterations (0.002 per iteration) for as
 * long as the loop runs: a leak. {@link #close()} ends them only so that the JVM hosting the soak is left clean.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 500, culprit = "corpus-sleeper",
        userFrame = "ThreadEvery500\\.run", summary = "a waiting thread started every 500 iterations, never stopped")
public final class ThreadEvery500 implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final List<Thread> started = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private long calls;

    /** Creates the case; no thread yet. */
    public ThreadEvery500() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 500 == 0) {
            Thread t = new Thread(this::waitForClose, "corpus-sleeper-" + started.size());
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
    }

    private void waitForClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed.countDown();
        for (Thread t : started) {
            t.join();
        }
    }
}
