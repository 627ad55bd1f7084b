package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one background flusher thread ({@code corpus-lazy-flusher}) the first time it is needed, at call 27,000
 * (50% into a default first pass), and never another. Live threads rise by one, once, and stay flat: a step,
 * not a sustained rise, so not a leak. {@link #close()} ends the thread.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads",
        summary = "one background thread started lazily at call 27,000 (~50%), then no more")
public final class LazyThreadMiddle implements Runnable, AutoCloseable {
    private static final long TRIGGER = 27_000;
    private final Work work = Work.heavy();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread flusher;
    private long calls;

    /** Creates the case; the thread comes later. */
    public LazyThreadMiddle() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls == TRIGGER) {
            flusher = new Thread(() -> {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "corpus-lazy-flusher");
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed.countDown();
        if (flusher != null) {
            flusher.join();
        }
    }
}
