package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;

/**
 * Takes a 256-byte slice from a {@link SlicePool} of 4 MiB direct chunks on every iteration, fills it, and
 * returns it only on an error path that never runs. Every slice is new memory: 256 bytes of direct memory per
 * iteration, arriving as a 4 MiB step every 16,384 iterations, without bound: a leak in repeated steps.
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 256, culprit = "direct|ByteBuffer",
        userFrame = "ChunkedDirectPoolLeak\\.run|SlicePool\\.newChunk",
        summary = "256 B/it slices of 4 MiB direct chunks, never returned (4 MiB steps)")
public final class ChunkedDirectPoolLeak implements Runnable {
    private final Work work = new Work();
    private final SlicePool pool = new SlicePool(256);

    /** Creates the case with an empty pool. */
    public ChunkedDirectPoolLeak() {
    }

    @Override
    public void run() {
        work.request();
        ByteBuffer slice = pool.acquire();
        slice.putLong(0, work.sink());
        if (slice.getLong(0) != work.sink()) {
            pool.release(slice);
        }
    }
}
