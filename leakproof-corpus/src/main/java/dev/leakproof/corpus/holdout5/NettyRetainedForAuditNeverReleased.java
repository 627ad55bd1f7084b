package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * A message handler on Netty's pooled heap allocator (its own {@code PooledByteBufAllocator(false)}), with the
 * resource leak detector switched off as production deployments do. Every message is an 8 KiB pooled heap buffer,
 * released once when handled. One message in 64 is also handed to an audit step with {@code retain()}, and the
 * audit reads it but never calls {@code release()}: that buffer's reference count never reaches zero, so its 8 KiB
 * run of the arena's chunk is never given back, though the {@code ByteBuf} object itself is dropped. 8 KiB per 64
 * iterations is 128 B per iteration; it shows as one more 4 MiB {@code byte[]} chunk of the arena every 512 lost
 * buffers (every 32,768 iterations), without bound: a heap leak in 4 MiB steps. Measured: one chunk per
 * 40,000-iteration interval, at the lost-buffer counts where a new chunk is due, each 5.06 MB of heap in use
 * (G1 gives a 4 MiB array five 1 MiB regions): 132.7 B per iteration per interval. The truth stays the 128 bytes
 * per iteration that the case loses.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 128,
        culprit = "byte\\[\\]|\\[B|PoolArena|PoolChunk|netty", userFrame = "NettyRetainedForAuditNeverReleased",
        library = "Netty",
        summary = "pooled 8 KiB heap ByteBuf per message; 1 in 64 retain()ed for an audit that never releases it")
public final class NettyRetainedForAuditNeverReleased implements Runnable {
    private static final int SIZE = 8 * 1024;
    private final Mill mill = new Mill();
    private final PooledByteBufAllocator allocator;
    private long calls;
    private long audited;

    /** Switches the leak detector off (as the application's start-up does) and makes the allocator. */
    public NettyRetainedForAuditNeverReleased() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        allocator = new PooledByteBufAllocator(false);
    }

    @Override
    public void run() {
        mill.once();
        ByteBuf message = allocator.heapBuffer(SIZE, SIZE);
        message.writeLong(calls).writerIndex(SIZE);
        if (calls++ % 64 == 0) {
            audit(message.retain());
        }
        message.release();
    }

    private void audit(ByteBuf message) {
        audited += message.getLong(0); // the audit's copy of the reference is forgotten here, never released
    }
}
