package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.PriorityQueue;

/**
 * A hand-rolled timer queue: every 5 iterations a request arms a deadline (a boxed {@code Long} nanosecond time
 * far outside the {@code Long} cache) in a {@link PriorityQueue}. The "tick" looks at the head with
 * {@code peek()} to decide whether anything is due, but the code that should {@code poll()} due deadlines
 * compares against the wrong clock and never fires, so nothing is ever removed. Each deadline keeps a
 * {@code Long} (24 bytes: a 12-byte header and 8 bytes of value, padded to 8) plus a 4-byte slot of the queue's
 * array, which grows by half when full (so 4–6 bytes of array per element): about 29.5 bytes per 5 iterations,
 * 5.9 B per iteration — a leak near the soak's promised 4 B floor, through a plain collection. (First written as
 * 4.2 B with a 16-byte {@code Long}; corrected from the measurement, 5.8–6.3 B per iteration.)
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 5.9,
        culprit = "Long|PriorityQueue|Object\\[\\]|\\[Ljava\\.lang\\.Object", userFrame = "TimerDeadlinesNeverPolled",
        summary = "a boxed Long deadline offered to a PriorityQueue every 5 iterations, only peek()ed, never polled")
public final class TimerDeadlinesNeverPolled implements Runnable {
    private final Grind grind = new Grind();
    private final PriorityQueue<Long> deadlines = new PriorityQueue<>();
    private long calls;
    private long fired;

    /** An empty timer queue. */
    public TimerDeadlinesNeverPolled() {
    }

    @Override
    public void run() {
        grind.once();
        long now = 1_000_000_000_000L + calls * 1_000;
        if (calls++ % 5 == 0) {
            deadlines.offer(now + 30_000_000_000L);
        }
        Long head = deadlines.peek();
        // the bug: the deadline is in nanoseconds, the tick compares it with a millisecond clock
        if (head != null && head < now / 1_000_000) {
            deadlines.poll();
            fired++;
        }
    }
}
