package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A decoder's cumulation buffer: a Netty {@link CompositeByteBuf} (no component limit, so it never consolidates)
 * to which a 256-byte {@code Unpooled.directBuffer} frame is added every 32 iterations. The decoder reads each
 * frame fully (the reader index moves past it) but never calls {@code discardReadComponents()}, so every read
 * component stays in the composite and its direct memory is never released: 256 bytes of direct memory per 32
 * iterations, 8 B per iteration, reachable from the decoder for ever — the cumulator bug Netty's
 * {@code ByteToMessageDecoder} avoids by discarding read bytes.
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 8,
        culprit = "direct|ByteBuf|Unpooled|Composite", userFrame = "CompositeCumulationNeverDiscarded", library = "Netty",
        summary = "a 256 B Unpooled direct frame added to a CompositeByteBuf every 32 iterations, read, never discarded")
public final class CompositeCumulationNeverDiscarded implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final CompositeByteBuf cumulation = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    private long calls;
    private long decoded;

    /** An empty cumulation. */
    public CompositeCumulationNeverDiscarded() {
    }

    @Override
    public void run() {
        grind.once();
        if (calls++ % 32 == 0) {
            ByteBuf frame = Unpooled.directBuffer(256, 256);
            frame.writeLong(calls).writeZero(248);
            cumulation.addComponent(true, frame);
        }
        while (cumulation.readableBytes() >= 256) {
            decoded += cumulation.readLong();
            cumulation.skipBytes(248);
        }
    }

    @Override
    public void close() {
        cumulation.release();
    }
}
