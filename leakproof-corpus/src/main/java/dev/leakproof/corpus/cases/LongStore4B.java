package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * Records one {@code long} every second iteration (sampled latencies) into a store of {@code long[1024]}
 * chunks that is never trimmed: a new 8 KiB chunk every 2,048 iterations, 4 bytes per iteration retained on the
 * heap, without bound: a leak at the size the soak promises to find in 50,000 iterations.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 4, culprit = "long\\[\\]|\\[J",
        userFrame = "LongStore4B\\.run", summary = "one long every 2 iterations into a never-trimmed chunked long[] store (4 B/it)")
public final class LongStore4B implements Runnable {
    private static final int CHUNK = 1024;
    private final Work work = new Work();
    private final List<long[]> chunks = new ArrayList<>();
    private long[] current;
    private int used = CHUNK;
    private long calls;

    /** Creates an empty store. */
    public LongStore4B() {
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        work.request();
        if ((++calls & 1) == 0) {
            if (used == CHUNK) {
                current = new long[CHUNK];
                chunks.add(current);
                used = 0;
            }
            current[used++] = System.nanoTime() - t0;
        }
    }
}
