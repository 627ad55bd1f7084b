package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A batcher that hands each batch to a native writer: every 8 iterations it opens an {@link Arena#ofShared()} (the
 * writer's thread may touch it), allocates a 128-byte batch header in it, and closes the arena after the write.
 * Every second batch is empty, and the empty path returns early, before the {@code close()}. A shared arena is
 * freed only by {@code close()}, never by the collector, so the dropped arena's 128 bytes stay allocated with
 * nothing left pointing at them: 128 bytes per 16 iterations, 8 B per iteration asked for (plus the allocator's
 * headers), never freed. The arena objects themselves become garbage, so the heap stays flat; and unlike an
 * {@code Arena.ofAuto()} segment, a shared arena's memory is not counted in the JDK's {@code direct} buffer pool
 * (measured on JDK 25: direct 0, malloc 9.2–9.9 B per iteration, the 128 B requests in 144-byte chunks).
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 8,
        culprit = "allocateMemory|Unsafe|Arena|ofShared|MemorySegment|malloc",
        userFrame = "SharedArenaForgottenOnEmptyBatch", flags = "--native-culprits",
        summary = "an Arena.ofShared() 128 B batch header every 8 iterations; empty batches return before close()")
public final class SharedArenaForgottenOnEmptyBatch implements Runnable {
    private final Mill mill = new Mill();
    private long calls;
    private long written;

    /** Nothing is allocated until the first batch. */
    public SharedArenaForgottenOnEmptyBatch() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 8 == 0) {
            flush((int) ((calls / 8) % 2) * 3);
        }
        calls++;
    }

    private void flush(int records) {
        Arena arena = Arena.ofShared();
        MemorySegment header = arena.allocate(128, 8);
        header.set(ValueLayout.JAVA_INT, 0, records);
        if (records == 0) {
            // the bug: nothing to write, so the method leaves before the arena is closed
            return;
        }
        header.set(ValueLayout.JAVA_LONG, 8, calls);
        written += header.get(ValueLayout.JAVA_INT, 0);
        arena.close();
    }
}
