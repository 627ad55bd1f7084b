package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A batching writer on Netty's pooled direct allocator (its own {@code PooledByteBufAllocator(true)}): each
 * iteration encodes a record into a 2 KiB pooled direct buffer and adds it to the pending batch; every 3,000
 * records the batch is flushed and every buffer released. A full batch is 6 MiB, more than one 4 MiB arena chunk,
 * so the arena takes a second chunk during each batch; when the batch is released, the emptied chunk is freed (or
 * kept for the next batch) and the thread cache keeps only a bounded number of small buffers. Direct memory saws
 * with the batch (or steps once and stays), bounded by one batch: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct", library = "Netty",
        summary = "2 KiB pooled direct buffers batched 3,000 at a time (6 MiB), all released at each flush")
public final class NettyPooledBatchSawtooth implements Runnable, AutoCloseable {
    private static final int RECORD = 2 * 1024;
    private static final int BATCH = 3_000;
    private final Mill mill = new Mill();
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
    private final List<ByteBuf> pending = new ArrayList<>(BATCH);
    private long calls;
    private long flushedBytes;

    /** An empty batch. */
    public NettyPooledBatchSawtooth() {
    }

    @Override
    public void run() {
        mill.once();
        ByteBuf record = allocator.directBuffer(RECORD, RECORD);
        record.writeLong(calls++).writerIndex(RECORD);
        pending.add(record);
        if (pending.size() == BATCH) {
            flush();
        }
    }

    private void flush() {
        for (ByteBuf b : pending) {
            flushedBytes += b.readableBytes();
            b.release();
        }
        pending.clear();
    }

    @Override
    public void close() {
        flush();
    }
}
