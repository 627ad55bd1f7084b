package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Every 16 iterations mallocs 64 bytes through an FFM downcall to libc, fills them, and drops the pointer
 * without {@code free}: 4 bytes per iteration asked for (5 with glibc's 16-byte chunk overhead: an 80-byte
 * chunk per 16 iterations), never freed, and nothing on the heap: a native leak at the size the soak promises to
 * find. The culprit is the malloc at this class' {@code run}; the soak's method notes that libc malloc called
 * straight from a downcall is invisible to async-profiler's import-table hooks.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 4, culprit = "malloc",
        userFrame = "FfmMalloc64Every16\\.run", flags = "--native-culprits",
        summary = "64 B malloc'd through FFM every 16 iterations, never freed (4 B/it)")
public final class FfmMalloc64Every16 implements Runnable {
    private final Work work = new Work();
    private long calls;

    /** Creates the case. */
    public FfmMalloc64Every16() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 16 == 0) {
            Libc.malloc(64);
        }
    }
}
