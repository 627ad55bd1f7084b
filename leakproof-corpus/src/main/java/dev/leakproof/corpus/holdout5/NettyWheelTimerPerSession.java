package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A session object that makes its own Netty {@link HashedWheelTimer} for its idle timeout (the mistake Netty's
 * "too many HashedWheelTimer instances" warning is about), one session every 400 iterations. The session arms a
 * 10-minute idle timeout, which starts the timer's worker thread, and cancels it when it ends, but never calls
 * {@code stop()}: the worker thread keeps ticking once a second for ever, and it holds the timer. One thread per 400
 * iterations, without bound: a thread leak. The case keeps the timers in a list only so that {@link #close()} can
 * stop them; the running threads would keep them anyway.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 400, culprit = "session-idle",
        userFrame = "NettyWheelTimerPerSession", library = "Netty",
        summary = "a HashedWheelTimer per session (every 400 iterations), timeout cancelled, timer never stopped")
public final class NettyWheelTimerPerSession implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final DefaultThreadFactory threads = new DefaultThreadFactory("session-idle", true);
    private final List<HashedWheelTimer> forClose = new ArrayList<>();
    private Timeout idle;
    private long calls;
    private volatile long expired;

    /** No session yet. */
    public NettyWheelTimerPerSession() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls++ % 400 == 0) {
            if (idle != null) {
                idle.cancel(); // the old session ends; its timer is not stopped
            }
            HashedWheelTimer timer = new HashedWheelTimer(threads, 1, TimeUnit.SECONDS, 64);
            forClose.add(timer);
            idle = timer.newTimeout(t -> expired++, 10, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() {
        for (HashedWheelTimer t : forClose) {
            t.stop();
        }
    }
}
