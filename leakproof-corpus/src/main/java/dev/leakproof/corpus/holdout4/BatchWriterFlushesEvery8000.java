package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * A write-behind batcher: one pending row (a 32-byte record) is queued per call, and the batch is flushed (summed,
 * then {@code clear()}ed) every 8,000 calls. The heap climbs by about 32 B a call for 8,000 calls, about 260 KB,
 * and drops back at each flush; the list's backing array keeps its 8,000 slots after the first batch, which is the
 * only thing that stays. A slow sawtooth, several teeth in a run, bounded: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a pending-row batch (32 B a call) flushed and cleared every 8,000 calls: a slow sawtooth")
public final class BatchWriterFlushesEvery8000 implements Runnable {
    private final Mill mill = new Mill();
    private final List<Row> pending = new ArrayList<>();
    private long calls;
    private long flushed;

    /** Starts with an empty batch. */
    public BatchWriterFlushesEvery8000() {
    }

    @Override
    public void run() {
        mill.once();
        pending.add(new Row(calls, mill.sink()));
        if (pending.size() == 8_000) {
            for (Row r : pending) {
                flushed += r.value() & 1;
            }
            pending.clear();
        }
        calls++;
    }

    private record Row(long key, long value) {
    }
}
