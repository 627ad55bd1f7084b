package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A parser that takes a 1 KiB native buffer from its own {@link Arena#ofAuto()} per message, fills it, reads it
 * and drops it. An automatic arena frees its memory when the garbage collector finds the segment unreachable, so
 * native memory rises between collections and falls back at each one; after a collection nothing of it is left.
 * The memory is owned by the collector, not lost: native memory moves, nothing leaks.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs",
        summary = "a 1 KiB Arena.ofAuto() segment per iteration, dropped (freed by the GC)")
public final class AutoArenaDropped implements Runnable {
    private final Grind grind = new Grind();
    private long calls;
    private long sum;

    /** Holds nothing between calls. */
    public AutoArenaDropped() {
    }

    @Override
    public void run() {
        grind.once();
        MemorySegment message = Arena.ofAuto().allocate(1024, 8);
        for (long off = 0; off < 1024; off += 64) {
            message.set(ValueLayout.JAVA_LONG, off, calls ^ off);
        }
        sum += message.get(ValueLayout.JAVA_LONG, (calls++ & 15) * 64);
    }
}
