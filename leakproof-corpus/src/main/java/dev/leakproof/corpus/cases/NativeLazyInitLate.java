package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.MemorySegment;

/**
 * Mallocs a 2 MiB native table through an FFM downcall once, at call 39,500 (75% into a default first pass, in
 * the middle of its judged half), fills it, and only reads it afterwards until {@link #close()} frees it.
 * Native memory takes one 2 MiB step and stays flat: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs",
        summary = "one 2 MiB native (FFM malloc) lazy init at call 39,500 (~75%), then flat")
public final class NativeLazyInitLate implements Runnable, AutoCloseable {
    private static final long TRIGGER = 39_500;
    private static final long BYTES = 2 << 20;
    private final Work work = Work.heavy();
    private MemorySegment table;
    private long calls;
    private long sink;

    /** Creates the case; the table comes later. */
    public NativeLazyInitLate() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls == TRIGGER) {
            table = Libc.malloc(BYTES);
        }
        if (table != null) {
            sink += table.get(java.lang.foreign.ValueLayout.JAVA_BYTE, calls % BYTES);
        }
    }

    @Override
    public void close() {
        if (table != null) {
            Libc.free(table);
            table = null;
        }
    }
}
