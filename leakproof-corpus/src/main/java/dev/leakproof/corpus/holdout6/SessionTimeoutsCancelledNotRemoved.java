package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A session manager that arms a 30-minute expiry on a shared {@link ScheduledThreadPoolExecutor} per session (a new
 * session every 16 iterations) and {@code cancel}s it when the session ends, on the next session's start. The
 * executor keeps its default remove-on-cancel policy, {@code false}: a cancelled task stays in the work queue until
 * its delay has passed, 30 minutes later, and holds its session. Over any run shorter than half an hour, every
 * ended session stays (the task, its lambda and session, and its queue slot), growing for as long as the sessions
 * keep coming faster than they expire: a small heap leak, bounded only by a horizon far past any soak. First written
 * as about 120 bytes per session, 7 bytes per iteration; measured 5.2, 4.9 and 4.5 bytes per iteration in intervals
 * 2–4 (about 77 bytes per session, the queue's array growing by half in steps), so the truth is 4.8.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 4.8,
        culprit = "ScheduledFutureTask|RunnableScheduledFuture|Session|DelayedWorkQueue",
        userFrame = "SessionTimeoutsCancelledNotRemoved",
        summary = "a 30-minute expiry per session (every 16 iterations), cancelled, left in the queue (removeOnCancel off)")
public final class SessionTimeoutsCancelledNotRemoved implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final ScheduledThreadPoolExecutor expiries = new ScheduledThreadPoolExecutor(1,
            r -> new Thread(r, "session-expiry"));
    private ScheduledFuture<?> current;
    private long calls;

    /** The expiry executor, remove-on-cancel left at its default. */
    public SessionTimeoutsCancelledNotRemoved() {
    }

    @Override
    public void run() {
        grind.once();
        if (calls++ % 16 == 0) {
            if (current != null) {
                current.cancel(false); // the session ended; its task stays queued for 30 minutes
            }
            Session s = new Session(calls);
            current = expiries.schedule(s::expire, 30, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() {
        expiries.shutdownNow();
    }

    /** A session that can expire. */
    static final class Session {
        private final long id;
        private volatile boolean expired;

        Session(long id) {
            this.id = id;
        }

        void expire() {
            expired = id >= 0;
        }
    }
}
