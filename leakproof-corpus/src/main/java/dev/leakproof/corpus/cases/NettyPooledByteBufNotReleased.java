package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Encodes a 1 KiB frame into a direct {@link ByteBuf} from a pooled allocator on every iteration and drops it
 * without {@code release()}. A pooled buffer's memory goes back to its arena only on release (garbage collection
 * of the ByteBuf object returns nothing), so the pool carves 1 KiB per iteration out of its direct chunks and
 * allocates a new chunk whenever one is used up: 1,024 bytes of direct memory per iteration, rising in steps of a
 * chunk, without bound: a leak.
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 1024, culprit = "direct|ByteBuf|PoolChunk|PoolArena",
        userFrame = "NettyPooledByteBufNotReleased\\.run", library = "Netty",
        summary = "a 1 KiB pooled direct ByteBuf per iteration, never released")
public final class NettyPooledByteBufNotReleased implements Runnable {
    private final Work work = new Work();
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
    private final byte[] frame = Messages.text(1024);

    /** Creates the case with its own allocator, so no other code shares its arenas. */
    public NettyPooledByteBufNotReleased() {
    }

    @Override
    public void run() {
        work.request();
        ByteBuf buf = allocator.directBuffer(frame.length);
        buf.writeBytes(frame);
    }
}
