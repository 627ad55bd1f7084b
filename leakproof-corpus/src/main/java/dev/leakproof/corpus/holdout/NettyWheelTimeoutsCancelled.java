package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Arms a 30-second request timeout on one shared Netty {@link HashedWheelTimer} for every request and cancels it
 * when the request completes (at once), as a client's read-timeout handler does. The wheel's worker thread, on
 * each 100 ms tick, moves new timeouts into their buckets (skipping cancelled ones) and unlinks the cancelled
 * ones from their buckets, so the timer holds at most about one tick's worth of timeouts: churn bounded by the
 * tick, no leak. One timer thread, started at the first timeout; stopped at close.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Netty",
        summary = "a 30 s HashedWheelTimer timeout per iteration on one shared timer, cancelled at once")
public final class NettyWheelTimeoutsCancelled implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("holdout-wheel", true),
            100, TimeUnit.MILLISECONDS, 512);
    private volatile long expired;

    /** Creates the timer (its thread starts with the first timeout). */
    public NettyWheelTimeoutsCancelled() {
    }

    @Override
    public void run() {
        Timeout t = timer.newTimeout(x -> expired++, 30, TimeUnit.SECONDS);
        busy.request();
        t.cancel();
    }

    @Override
    public void close() {
        timer.stop();
    }
}
