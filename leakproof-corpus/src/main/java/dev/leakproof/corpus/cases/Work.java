package dev.leakproof.corpus.cases;

import java.util.zip.CRC32;

/**
 * A fixed amount of allocation-free work, done on every iteration so that an iteration costs what a small request
 * costs rather than an empty call: rounds of a CRC-32 over 16 KiB (about 0.3 µs a round on the project's 2-core
 * machine, whose CRC is hardware-assisted).
 *
 * <p>The cost matters to the truth of some cases. A self-extending soak sizes its first pass by the cost of an
 * iteration (at least 50,000 iterations, more when iterations are cheap, so that iterating takes longer than
 * sampling). A {@linkplain #request() request} (~20 µs) keeps count leaks to a few thousand threads or descriptors
 * however long the pass; a {@linkplain #heavy() heavy} one (~100 µs) keeps the first pass at its 50,000
 * iterations, so that the cases whose events are placed by call count (one-time steps, fills that reach their
 * bound) place them where their documentation says within that pass. One per case instance; not thread-safe.
 */
final class Work {
    private static final int REQUEST_ROUNDS = 64;
    private static final int HEAVY_ROUNDS = 320;
    private final byte[] data = new byte[16 * 1024];
    private final CRC32 crc = new CRC32();
    private final int rounds;
    private long sink;

    /** A request's worth of work, about 20 µs. */
    Work() {
        this(REQUEST_ROUNDS);
    }

    private Work(int rounds) {
        this.rounds = rounds;
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
    }

    /** @return work of about 100 µs per {@link #request()} */
    static Work heavy() {
        return new Work(HEAVY_ROUNDS);
    }

    /** Does the work; the result is kept so the JIT cannot drop it. */
    void request() {
        for (int r = 0; r < rounds; r++) {
            crc.reset();
            crc.update(data);
            sink += crc.getValue();
        }
    }

    /** @return what the work computed, so it is observable */
    long sink() {
        return sink;
    }
}
