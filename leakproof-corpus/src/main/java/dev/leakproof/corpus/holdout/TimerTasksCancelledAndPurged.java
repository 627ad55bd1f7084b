package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Arms a one-hour timeout {@link TimerTask} on one shared {@link Timer} for every request and cancels it when the
 * request completes (at once). A cancelled task stays in the timer's queue until its time comes, so cancelling
 * alone would keep every task for an hour; the case also calls {@link Timer#purge()} every 1,000 requests, as
 * the timer's javadoc advises, which removes the cancelled ones. The queue saws between 0 and 1,000 tasks (~50 KB)
 * and its array stops growing at 1,024 slots: bounded, no leak. One timer thread, started in the constructor.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a 1-hour TimerTask per iteration, cancelled at once; Timer.purge() every 1,000 (sawtooth)")
public final class TimerTasksCancelledAndPurged implements Runnable, AutoCloseable {
    private static final long HOUR_MILLIS = 3_600_000;
    private final Busy busy = new Busy();
    private final Timer timer = new Timer("holdout-timeouts", true);
    private long calls;
    private volatile long timedOut;

    /** Starts the timer thread. */
    public TimerTasksCancelledAndPurged() {
    }

    @Override
    public void run() {
        TimerTask timeout = new TimerTask() {
            @Override
            public void run() {
                timedOut++;
            }
        };
        timer.schedule(timeout, HOUR_MILLIS);
        busy.request();
        timeout.cancel();
        if (++calls % 1000 == 0) {
            timer.purge();
        }
    }

    @Override
    public void close() {
        timer.cancel();
    }
}
