package dev.leakproof.corpus.holdout;

import java.util.zip.Adler32;

/**
 * The held-out cases' own per-iteration work, written apart from the main corpus' helper: rounds of an Adler-32
 * over 8 KiB, allocation-free, about 20 µs a call on the project's 2-core machine, so that an iteration costs
 * what a small request costs. One per case instance; not thread-safe.
 */
final class Busy {
    private static final int ROUNDS = 40;
    private final byte[] data = new byte[8 * 1024];
    private final Adler32 adler = new Adler32();
    private long sink;

    Busy() {
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 17 + 3);
        }
    }

    /** Does one request's worth of work; the result is kept so the JIT cannot drop it. */
    void request() {
        for (int r = 0; r < ROUNDS; r++) {
            adler.reset();
            adler.update(data);
            sink += adler.getValue();
        }
    }

    /** @return what the work computed */
    long sink() {
        return sink;
    }
}
