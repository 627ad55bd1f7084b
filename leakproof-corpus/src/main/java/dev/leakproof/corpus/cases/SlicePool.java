package dev.leakproof.corpus.cases;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool of fixed-size direct slices carved out of 4 MiB direct chunks, as network code pools its I/O buffers:
 * a released slice is reused before any new memory is carved, and a new chunk is allocated only when the current
 * one is used up. Not thread-safe.
 */
final class SlicePool {
    static final int CHUNK_BYTES = 4 << 20;
    private final int sliceBytes;
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private ByteBuffer current;

    SlicePool(int sliceBytes) {
        this.sliceBytes = sliceBytes;
    }

    ByteBuffer acquire() {
        ByteBuffer s = free.poll();
        if (s != null) {
            return s.clear();
        }
        if (current == null || current.remaining() < sliceBytes) {
            current = newChunk();
        }
        ByteBuffer slice = current.slice(current.position(), sliceBytes);
        current.position(current.position() + sliceBytes);
        return slice;
    }

    void release(ByteBuffer slice) {
        free.push(slice);
    }

    int chunkCount() {
        return chunks.size();
    }

    private ByteBuffer newChunk() {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
        chunks.add(chunk);
        return chunk;
    }
}
