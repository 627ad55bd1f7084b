package dev.leakproof.corpus.cases;

import java.util.zip.CRC32;

/**
 * A fixed amount of allocation-free work (a CRC-32 over 16 KiB, a few microseconds) that a cheap case does on
 * every iteration, so that each iteration looks like a request rather than an empty call. One per case
 * instance; not thread-safe.
 */
final class Work {
    private final byte[] data = new byte[16 * 1024];
    private final CRC32 crc = new CRC32();
    private long sink;

    Work() {
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
    }

    /** Does the work; the result is kept so the JIT cannot drop it. */
    void request() {
        crc.reset();
        crc.update(data);
        sink += crc.getValue();
    }

    /** @return what the work computed, so it is observable */
    long sink() {
        return sink;
    }
}
