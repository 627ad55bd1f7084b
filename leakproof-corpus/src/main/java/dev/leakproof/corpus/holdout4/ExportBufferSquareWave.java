package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A periodic export staged in native memory: every 10,000 calls an export opens a confined {@link Arena} and
 * allocates a 1 MiB staging buffer in it, fills it a 512-byte record per call over the next 2,048 calls, hands it
 * off and closes the arena. Native memory steps up by 1 MiB, stays for 2,048 calls and steps back down: a square
 * wave, one pulse per 10,000 calls, released every time. Bounded, not a leak; the {@code native-libs} probe moves
 * (a confined arena's memory is not counted in the JDK's {@code direct} buffer pool).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs",
        summary = "a 1 MiB confined-arena export buffer every 10,000 calls, filled over 2,048 calls, then closed")
public final class ExportBufferSquareWave implements Runnable {
    private static final long PERIOD = 10_000;
    private static final long RECORD = 512;
    private static final long SIZE = 1024 * 1024;
    private final Mill mill = new Mill();
    private Arena arena;
    private MemorySegment staging;
    private long calls;
    private long exported;

    /** No export is open until the first call. */
    public ExportBufferSquareWave() {
    }

    @Override
    public void run() {
        mill.once();
        long phase = calls % PERIOD;
        if (phase == 0) {
            arena = Arena.ofConfined();
            staging = arena.allocate(SIZE, 16);
        }
        if (staging != null) {
            staging.set(ValueLayout.JAVA_LONG, phase * RECORD, mill.sink());
            if ((phase + 1) * RECORD == SIZE) {
                exported += staging.get(ValueLayout.JAVA_LONG, 0);
                staging = null;
                arena.close();
                arena = null;
            }
        }
        calls++;
    }
}
