package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame reader that reads each frame into a fresh 8 KiB direct {@link ByteBuffer} (one frame every 16 iterations)
 * and drops it when done, except that one frame in 64 needs an acknowledgement later: for it, the reader keeps a
 * 16-byte {@link ByteBuffer#slice(int, int) slice} of the frame's header in a list of pending acks, which nothing
 * ever drains. A slice shares its parent's native memory, so each kept header pins the whole 8 KiB: 8,192 bytes
 * per 1,024 iterations, 8 B per iteration of direct memory retained, while the dropped frames are freed by their
 * cleaners — a slow direct-buffer leak behind a few bytes of heap.
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 8,
        culprit = "direct|ByteBuffer", userFrame = "DirectHeaderSlicesKept",
        summary = "an 8 KiB direct frame every 16 iterations; 1 in 64 keeps a 16 B header slice forever (8 B/it)")
public final class DirectHeaderSlicesKept implements Runnable {
    private final Toil toil = new Toil();
    private final List<ByteBuffer> pendingAcks = new ArrayList<>();
    private ByteBuffer frame = ByteBuffer.allocateDirect(8 * 1024);
    private long calls;
    private long frames;
    private long checksum;

    /** Starts with one frame buffer. */
    public DirectHeaderSlicesKept() {
    }

    @Override
    public void run() {
        toil.request();
        if (calls++ % 16 == 0) {
            frame = ByteBuffer.allocateDirect(8 * 1024);
            frame.putLong(0, frames).putLong(8, calls);
            if (frames++ % 64 == 0) {
                pendingAcks.add(frame.slice(0, 16));
            }
        }
        checksum += frame.getLong(0) ^ frame.getLong(8);
    }
}
