package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * An encoder that assembles each message as a Netty {@link CompositeByteBuf} of four pooled direct parts (a
 * header and three 512-byte body chunks) from a {@link PooledByteBufAllocator}, "writes" it (reads it through)
 * and releases the composite, which releases every part back to the pool. The pool takes its chunk once, early,
 * and reuses it: direct memory steps once and stays, nothing leaks.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct", library = "Netty",
        summary = "a pooled CompositeByteBuf of 4 direct parts per iteration, released as a whole")
public final class NettyCompositeMessagesReleased implements Runnable {
    private final Grind grind = new Grind();
    private final ByteBufAllocator pool = new PooledByteBufAllocator(true);
    private long calls;
    private long sum;

    /** A private pooled allocator, empty until the first call. */
    public NettyCompositeMessagesReleased() {
    }

    @Override
    public void run() {
        grind.once();
        CompositeByteBuf message = pool.compositeDirectBuffer(4);
        try {
            ByteBuf header = pool.directBuffer(16);
            header.writeLong(calls++).writeLong(1_536);
            message.addComponent(true, header);
            for (int i = 0; i < 3; i++) {
                ByteBuf chunk = pool.directBuffer(512);
                chunk.writeZero(504).writeLong(i);
                message.addComponent(true, chunk);
            }
            while (message.readableBytes() >= 8) {
                sum += message.readLong();
            }
        } finally {
            message.release();
        }
    }
}
