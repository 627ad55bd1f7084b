package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Every 512 iterations allocates a 4 KiB direct {@link ByteBuffer} (a per-request I/O buffer), fills it, and keeps
 * it in a list that is never cleared, so its cleaner never runs: 8 bytes of direct memory per iteration, without
 * bound: a leak. (The list and the buffer objects add about 0.2 bytes per iteration of heap.)
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 8, culprit = "direct|ByteBuffer",
        userFrame = "DirectBufferEvery512\\.run", summary = "a 4 KiB direct ByteBuffer every 512 iterations, kept (8 B/it)")
public final class DirectBufferEvery512 implements Runnable {
    private final Work work = new Work();
    private final List<ByteBuffer> kept = new ArrayList<>();
    private long calls;

    /** Creates the case. */
    public DirectBufferEvery512() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 512 == 0) {
            ByteBuffer b = ByteBuffer.allocateDirect(4096);
            while (b.hasRemaining()) {
                b.putLong(calls);
            }
            kept.add(b);
        }
    }
}
