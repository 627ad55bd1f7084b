package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;

/**
 * Takes a 256-byte slice from a {@link SlicePool} of 4 MiB direct chunks on every iteration, fills it, and
 * returns it. The pool reuses the returned slice, so it only ever allocates its first chunk: one 4 MiB step of
 * direct memory at the start, then flat: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct",
        summary = "256 B/it slices of 4 MiB direct chunks, returned and reused (one chunk)")
public final class ReusingChunkPool implements Runnable {
    private final Work work = new Work();
    private final SlicePool pool = new SlicePool(256);

    /** Creates the case with an empty pool. */
    public ReusingChunkPool() {
    }

    @Override
    public void run() {
        work.request();
        ByteBuffer slice = pool.acquire();
        slice.putLong(0, work.sink());
        pool.release(slice);
    }
}
