package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * The audit bug of {@link NettyRetainedForAuditNeverReleased} on Netty's unpooled direct allocator: a 4 KiB direct
 * buffer per message, released once, and one message in 4 {@code retain()}ed for an audit that never releases it.
 * The lost buffers keep a reference count of 1, but nothing references them: on JDK 25 Netty 4.1 cannot use its
 * cleaner-less direct buffers (that needs reflective access the JDK refuses by default), so an unpooled direct
 * {@code ByteBuf} wraps a {@code ByteBuffer.allocateDirect} buffer whose JDK cleaner frees the memory when the
 * collector finds it unreachable. Direct memory saws between collections and returns to the same level after each
 * one: the reference-count bug is real, the memory is not lost, no leak. The leak detector is off.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct", library = "Netty",
        summary = "unpooled 4 KiB direct ByteBuf per message; 1 in 4 retain()ed and never released, then dropped")
public final class NettyUnpooledRetainDropped implements Runnable {
    private static final int SIZE = 4 * 1024;
    private final Mill mill = new Mill();
    private final UnpooledByteBufAllocator allocator;
    private long calls;
    private long audited;

    /** Switches the leak detector off and makes the allocator. */
    public NettyUnpooledRetainDropped() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        allocator = new UnpooledByteBufAllocator(true);
    }

    @Override
    public void run() {
        mill.once();
        ByteBuf message = allocator.directBuffer(SIZE, SIZE);
        message.writeLong(calls).writerIndex(SIZE);
        if (calls++ % 4 == 0) {
            audit(message.retain());
        }
        message.release();
    }

    private void audit(ByteBuf message) {
        audited += message.getLong(0); // forgotten here, never released
    }
}
