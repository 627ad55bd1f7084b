package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A binding that registers receive buffers with a (simulated) native event source: every 32 iterations it
 * allocates a 256-byte buffer from its own {@link Arena#ofAuto()} and keeps the segment in a list of registered
 * buffers that is never pruned. An automatic arena frees its memory only once the segment is unreachable, and
 * these stay reachable: 256 bytes of native memory per 32 iterations, 8 B per iteration asked for (plus the
 * allocator's headers), never freed — a native leak that looks like "managed" memory. The JDK reserves arena
 * memory against the direct-memory limit, so the same 8 B per iteration also shows in the {@code direct} buffer
 * pool (measured: direct 8.00, malloc 8.6–9.4, and 5.9–6.8 B of heap for the segment and arena objects). Each
 * iteration writes a sequence number into the newest buffer.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 8,
        culprit = "allocateMemory|Unsafe|Arena|ofAuto|MemorySegment|malloc", userFrame = "AutoArenaSegmentsKept",
        flags = "--native-culprits",
        summary = "a 256 B Arena.ofAuto() segment every 32 iterations, kept in a list (8 B/it, never freed)")
public final class AutoArenaSegmentsKept implements Runnable {
    private final Grind grind = new Grind();
    private final List<MemorySegment> registered = new ArrayList<>();
    private MemorySegment newest;
    private long calls;

    /** No buffer until the first call. */
    public AutoArenaSegmentsKept() {
    }

    @Override
    public void run() {
        grind.once();
        if (calls % 32 == 0) {
            newest = Arena.ofAuto().allocate(256, 8);
            registered.add(newest);
        }
        newest.set(ValueLayout.JAVA_LONG, (calls % 32) * 8, calls);
        calls++;
    }
}
