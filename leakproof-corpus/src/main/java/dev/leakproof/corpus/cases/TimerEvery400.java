package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Every 400 iterations creates a {@link Timer} (default thread name {@code Timer-N}) with an hourly
 * housekeeping task, as code that gives each session its own timer does, and never cancels it. A timer's
 * thread lives while a task is scheduled, so live threads rise by one per 400 iterations (0.0025 per
 * iteration): a leak. The timers are kept in a list only so that {@link #close()} can cancel them.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 400, culprit = "Timer",
        userFrame = "TimerEvery400\\.run", summary = "a java.util.Timer with a periodic task every 400 iterations, never cancelled")
public final class TimerEvery400 implements Runnable, AutoCloseable {
    private static final long HOUR_MILLIS = 3_600_000;
    private final Work work = new Work();
    private final List<Timer> timers = new ArrayList<>();
    private long calls;

    /** Creates the case; no timer yet. */
    public TimerEvery400() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 400 == 0) {
            Timer timer = new Timer(true);
            timer.scheduleAtFixedRate(new TimerTask() {
                @Override
                public void run() {
                    // housekeeping that never comes due during a soak
                }
            }, HOUR_MILLIS, HOUR_MILLIS);
            timers.add(timer);
        }
    }

    @Override
    public void close() {
        timers.forEach(Timer::cancel);
    }
}
