package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Every 8 iterations mallocs 64 bytes through an FFM downcall to libc, fills them, and drops the pointer without
 * {@code free}: 8 bytes per iteration asked for (10 with glibc's chunk overhead), never freed, nothing on the
 * heap: a native leak.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 8, culprit = "malloc",
        userFrame = "FfmMalloc64Every8\\.run", flags = "--native-culprits",
        summary = "64 B malloc'd through FFM every 8 iterations, never freed (8 B/it)")
public final class FfmMalloc64Every8 implements Runnable {
    private final Work work = new Work();
    private long calls;

    /** Creates the case. */
    public FfmMalloc64Every8() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 8 == 0) {
            Libc.malloc(64);
        }
    }
}
