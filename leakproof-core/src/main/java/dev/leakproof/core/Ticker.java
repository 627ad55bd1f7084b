package dev.leakproof.core;

/**
 * A source of nanoseconds that leakproof-core reads wherever time decides what happens (how long a
 * {@link WorkQueue} waits for an item or for work in flight at close), as Caffeine reads its {@code Ticker}:
 * production code uses {@link #system()}, and a test gives a fake one it moves by hand, so that it checks a
 * timeout without waiting for the time to pass.
 * {@snippet :
 * AtomicLong now = new AtomicLong();
 * WorkQueue queue = WorkQueue.create(WorkQueueOptions.named("test")
 *         .withCloseTimeout(Duration.ofSeconds(30)).withTicker(now::get));
 * // ... a close() waiting for stuck work gives up as soon as the test does:
 * now.addAndGet(Duration.ofSeconds(31).toNanos());
 * }
 *
 * <p>Only differences between two readings mean anything (as with {@link System#nanoTime()}). A waiter reads
 * its ticker again at least every {@link #RECHECK_NANOS}, so a fake ticker moved past a deadline is seen within
 * that much real time.
 */
@FunctionalInterface
public interface Ticker {
    /** How often, at most, a wait bounded by a ticker reads it again: 10 ms. */
    long RECHECK_NANOS = 10_000_000L;

    /** @return nanoseconds since an arbitrary origin, never decreasing */
    long read();

    /** @return the system's monotonic clock, {@link System#nanoTime()} */
    static Ticker system() {
        return System::nanoTime;
    }
}
