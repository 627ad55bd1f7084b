package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A service whose first "geo" request, at call 42,000 (80% of a 50,000-iteration run after 2,000 warm-up calls),
 * loads a 3 MiB lookup table into native memory from a shared {@link Arena} and keeps it for the life of the
 * service; every later call reads it. Native memory steps up once, late, by 3 MiB, and never again: a one-time
 * initialization, not a leak. The arena is closed at close. Each iteration does 5 rounds of work (~100 µs) so
 * that a first pass stays near 50,000 iterations and the step lands where this says.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs",
        summary = "one 3 MiB native table (Arena.ofShared) loaded at call 42,000 (~80%), then only read")
public final class NativeTableAt80 implements Runnable, AutoCloseable {
    private static final long TABLE = 3L * 1024 * 1024;
    private final Toil toil = new Toil();
    private final Arena arena = Arena.ofShared();
    private MemorySegment table;
    private long calls;
    private long found;

    /** Nothing loaded until the first geo request. */
    public NativeTableAt80() {
    }

    @Override
    public void run() {
        toil.requests(5);
        if (++calls < 42_000) {
            return;
        }
        if (table == null) {
            table = arena.allocate(TABLE, 8);
            for (long i = 0; i < TABLE / 8; i++) {
                table.setAtIndex(ValueLayout.JAVA_LONG, i, i * 0x9E3779B97F4A7C15L);
            }
        }
        found += table.getAtIndex(ValueLayout.JAVA_LONG, (calls * 7919) % (TABLE / 8));
    }

    @Override
    public void close() {
        arena.close();
    }
}
