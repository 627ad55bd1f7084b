package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A pool of 64 KiB direct I/O buffers that makes a buffer only when it is empty and takes every buffer back:
 * ordinary iterations borrow one buffer and return it, and every 5,000 iterations a scatter write borrows 8 at
 * once before returning them. The pool therefore holds one buffer after the first call and 8 from the first
 * scatter (call 5,000) on, and reuses them for the rest of the run: direct memory steps once to 512 KiB and stays
 * flat. No leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct",
        summary = "a direct 64 KiB buffer pool, 1 borrowed per iteration, 8 at once every 5,000: 8 buffers, reused")
public final class DirectBufferPoolPeakEight implements Runnable {
    private static final int SIZE = 64 * 1024;
    private final Toil toil = new Toil();
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private final ByteBuffer[] scatter = new ByteBuffer[8];
    private long calls;
    private long written;

    /** Starts empty. */
    public DirectBufferPoolPeakEight() {
    }

    @Override
    public void run() {
        toil.request();
        if (++calls % 5000 == 0) {
            for (int i = 0; i < scatter.length; i++) {
                scatter[i] = borrow();
                written += scatter[i].putLong(0, calls).getLong(0);
            }
            for (int i = 0; i < scatter.length; i++) {
                release(scatter[i]);
                scatter[i] = null;
            }
        } else {
            ByteBuffer b = borrow();
            written += b.putLong(8, calls).getLong(8);
            release(b);
        }
    }

    private ByteBuffer borrow() {
        ByteBuffer b = idle.pollFirst();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(SIZE);
    }

    private void release(ByteBuffer b) {
        idle.addFirst(b);
    }
}
