package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every 10 iterations a "session" starts and schedules an hourly heartbeat on a shared one-thread
 * {@link ScheduledThreadPoolExecutor} with {@code scheduleAtFixedRate}, and the returned future is dropped, so the
 * heartbeat is never cancelled when the session ends. A periodic task stays in the executor's delay queue
 * forever (it re-queues itself after each run, and during a soak it never even comes due): per session a
 * {@code ScheduledFutureTask} (64 B), its {@code RunnableAdapter} (24 B), the capturing lambda (24 B) and a queue
 * slot (4 B), about 116 B per 10 iterations, 11.6 B per iteration, without bound: a heap leak. No thread is added
 * after the first schedule.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 11.6,
        culprit = "ScheduledFutureTask|DelayedWorkQueue|RunnableScheduledFuture|RunnableAdapter|ScheduledHeartbeat",
        userFrame = "ScheduledHeartbeatNeverCancelled\\.run",
        summary = "an hourly scheduleAtFixedRate heartbeat per 10 iterations, future dropped, never cancelled")
public final class ScheduledHeartbeatNeverCancelled implements Runnable, AutoCloseable {
    private static volatile long lastBeat;
    private final Busy busy = new Busy();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "holdout-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private long calls;

    /** Creates the shared scheduler (its thread starts with the first heartbeat). */
    public ScheduledHeartbeatNeverCancelled() {
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 10 == 0) {
            long session = calls;
            scheduler.scheduleAtFixedRate(() -> beat(session), 1, 1, TimeUnit.HOURS);
        }
    }

    private static void beat(long session) {
        lastBeat = session;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
