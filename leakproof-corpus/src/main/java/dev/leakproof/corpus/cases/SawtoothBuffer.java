package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.ByteArrayOutputStream;

/**
 * Appends a 1 KiB record to an in-memory batch on every iteration; when the batch reaches 1 MiB it is "flushed"
 * (dropped and replaced by an empty one). The heap saws between nothing and about 2 MiB (the buffer doubles as it
 * grows) every 1,024 iterations and never ratchets: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a batch buffer that grows to 1 MiB and is dropped, every 1,024 iterations (sawtooth)")
public final class SawtoothBuffer implements Runnable {
    private static final int FLUSH_AT = 1 << 20;
    private final Work work = new Work();
    private final byte[] record = Messages.text(1024);
    private ByteArrayOutputStream batch = new ByteArrayOutputStream();
    private long flushed;

    /** Creates an empty batch. */
    public SawtoothBuffer() {
    }

    @Override
    public void run() {
        work.request();
        batch.write(record, 0, record.length);
        if (batch.size() >= FLUSH_AT) {
            flushed += batch.size();
            batch = new ByteArrayOutputStream();
        }
    }
}
