package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A debug endpoint's "last requests" ring: a preallocated array of 36,000 slots, one 40-byte trace record written
 * per call at the next slot, wrapping around. Until call 36,000 (about 68% of a 50,000-iteration run after 2,000
 * warm-up calls) each call fills an empty slot, so the heap rises by 40 B a call; from then on each call replaces
 * the oldest record, and the heap stays flat at 36,000 records (1.4 MB). A fill to a bound, not a leak. Each
 * iteration does 5 rounds of work (~100 µs) so that a first pass stays near 50,000 iterations and the end of the
 * fill lands where this says.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a 36,000-slot ring of 40 B trace records, one per call: full at call 36,000 (~68%), then flat")
public final class RecentTracesRingFullAt68 implements Runnable {
    private static final int SLOTS = 36_000;
    private final Mill mill = new Mill();
    private final Trace[] ring = new Trace[SLOTS];
    private long calls;
    private long acc;

    /** Starts with an empty ring. */
    public RecentTracesRingFullAt68() {
    }

    @Override
    public void run() {
        mill.times(5);
        int slot = (int) (calls % SLOTS);
        Trace old = ring[slot];
        if (old != null) {
            acc += old.status();
        }
        ring[slot] = new Trace(calls, mill.sink(), 200 + (int) (calls & 3), (int) (calls & 0xFFF));
        calls++;
    }

    private record Trace(long id, long nanos, int status, int bytes) {
    }
}
