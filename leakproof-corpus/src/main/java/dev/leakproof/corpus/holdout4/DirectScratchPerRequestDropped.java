package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;

/**
 * A handler that allocates a fresh 4 KiB direct buffer for every eighth request (to hand to a channel) and simply
 * drops it afterwards. Wasteful, but not a leak: a direct buffer's memory is freed by its cleaner once the buffer
 * is unreachable, so the direct pool rises between collections (about 512 B a call) and falls back after each;
 * nothing is kept. The truth is bounded by the collector; the {@code direct} pool moves.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct",
        summary = "a 4 KiB direct buffer every 8 iterations, dropped (its cleaner frees it after GC)")
public final class DirectScratchPerRequestDropped implements Runnable {
    private final Mill mill = new Mill();
    private long calls;
    private long acc;

    /** Nothing is allocated until the first call. */
    public DirectScratchPerRequestDropped() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 8 == 0) {
            ByteBuffer scratch = ByteBuffer.allocateDirect(4096);
            scratch.putLong(0, mill.sink());
            scratch.putLong(4088, calls);
            acc += scratch.getLong(0) ^ scratch.getLong(4088);
        }
        calls++;
    }
}
