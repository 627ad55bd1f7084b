package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link SessionTimeoutsCancelledNotRemoved} with its fix, {@code setRemoveOnCancelPolicy(true)}: a cancelled expiry
 * leaves the executor's queue at once, so the queue holds the one live session's task. The executor's thread is
 * started lazily by the first session, and a task is made and dropped every 16 iterations: the heap moves a little,
 * bounded: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a 30-minute expiry per session (every 16 iterations), cancelled with remove-on-cancel on")
public final class SessionTimeoutsRemovedOnCancel implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final ScheduledThreadPoolExecutor expiries = new ScheduledThreadPoolExecutor(1,
            r -> new Thread(r, "session-expiry-fixed"));
    private ScheduledFuture<?> current;
    private long calls;

    /** The expiry executor, removing what is cancelled. */
    public SessionTimeoutsRemovedOnCancel() {
        expiries.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void run() {
        grind.once();
        if (calls++ % 16 == 0) {
            if (current != null) {
                current.cancel(false); // removed from the queue now
            }
            SessionTimeoutsCancelledNotRemoved.Session s = new SessionTimeoutsCancelledNotRemoved.Session(calls);
            current = expiries.schedule(s::expire, 30, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() {
        expiries.shutdownNow();
    }
}
