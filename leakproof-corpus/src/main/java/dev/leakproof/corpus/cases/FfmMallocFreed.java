package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Mallocs 64 bytes through an FFM downcall to libc on every iteration and frees them, and every 16 iterations
 * allocates 4 KiB in a confined {@link Arena} that it closes. Native memory churns and stays flat: not a leak
 * (the twin of {@link FfmMalloc64Every8}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", summary = "64 B FFM malloc + free per iteration, a confined arena every 16")
public final class FfmMallocFreed implements Runnable {
    private final Work work = new Work();
    private long calls;

    /** Creates the case. */
    public FfmMallocFreed() {
    }

    @Override
    public void run() {
        work.request();
        MemorySegment block = Libc.malloc(64);
        Libc.free(block);
        if (++calls % 16 == 0) {
            try (Arena arena = Arena.ofConfined()) {
                arena.allocate(4096).fill((byte) calls);
            }
        }
    }
}
