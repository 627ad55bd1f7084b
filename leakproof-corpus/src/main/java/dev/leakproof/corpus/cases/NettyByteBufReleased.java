package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Encodes a 1 KiB frame into a pooled direct {@link ByteBuf} on every iteration and releases it. The arena reuses
 * the same memory (through the thread's cache), so direct memory is the first chunk and stays flat: not a leak
 * (the twin of {@link NettyPooledByteBufNotReleased}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct", library = "Netty",
        summary = "a 1 KiB pooled direct ByteBuf per iteration, released")
public final class NettyByteBufReleased implements Runnable {
    private final Work work = new Work();
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
    private final byte[] frame = Messages.text(1024);
    private long sink;

    /** Creates the case with its own allocator. */
    public NettyByteBufReleased() {
    }

    @Override
    public void run() {
        work.request();
        ByteBuf buf = allocator.directBuffer(frame.length);
        try {
            buf.writeBytes(frame);
            sink += buf.getByte(17);
        } finally {
            buf.release();
        }
    }
}
