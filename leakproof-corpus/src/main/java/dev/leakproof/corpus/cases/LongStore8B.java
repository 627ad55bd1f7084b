package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * Records one {@code long} (a request's latency) per iteration into a store made of {@code long[1024]} chunks
 * that is never trimmed: a new 8 KiB chunk every 1,024 iterations, 8 bytes per iteration retained on the heap
 * (plus a 16-byte array header per chunk), without bound: a leak. Chunks keep the growth close to linear; a
 * doubling array would grow in ever larger steps.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 8, culprit = "long\\[\\]|\\[J",
        userFrame = "LongStore8B\\.run", summary = "one long per iteration into a never-trimmed chunked long[] store (8 B/it)")
public final class LongStore8B implements Runnable {
    private static final int CHUNK = 1024;
    private final Work work = new Work();
    private final List<long[]> chunks = new ArrayList<>();
    private long[] current;
    private int used = CHUNK;

    /** Creates an empty store. */
    public LongStore8B() {
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        work.request();
        if (used == CHUNK) {
            current = new long[CHUNK];
            chunks.add(current);
            used = 0;
        }
        current[used++] = System.nanoTime() - t0;
    }
}
