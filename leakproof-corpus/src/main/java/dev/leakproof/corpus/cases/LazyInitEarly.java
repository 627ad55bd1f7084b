package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Builds a 2 MiB lookup table once, at call 7,000 (10% into a default 50,000-iteration first pass after
 * the 2,000 warm-up calls: early, before the judged half of the first pass), and only reads it afterwards. The heap takes one 2 MiB step and stays flat
 * however long the loop runs: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "one 2 MiB lazy init at call 7,000 (~10% of the run), then flat")
public final class LazyInitEarly implements Runnable {
    private final OneTimeStep step = new OneTimeStep(7_000);

    /** Creates the case; the table comes later. */
    public LazyInitEarly() {
    }

    @Override
    public void run() {
        step.call();
    }
}
