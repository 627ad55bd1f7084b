package dev.leakproof.corpus.holdout6;

/**
 * The sixth held-out round's own per-iteration work, shared with no other package: a xorshift walk that folds a
 * 2,048-long table into one value, allocation-free, on the order of 20 µs a call on the project's 2-core machine, so
 * that an iteration costs what a small request costs. One per case instance; not thread-safe.
 */
final class Grind {
    private final long[] table = new long[2048];
    private long sink;

    Grind() {
        long x = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < table.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            table[i] = x;
        }
    }

    /** Does one request's worth of work; the result is kept so the JIT cannot drop it. */
    void once() {
        long h = sink;
        for (int round = 0; round < 6; round++) {
            for (long v : table) {
                h = Long.rotateLeft(h ^ v, 23) * 0x9E3779B97F4A7C15L;
            }
        }
        sink = h;
    }

    /** Does {@code n} requests' worth of work (the case whose plateau is placed by call count uses 5). */
    void times(int n) {
        for (int i = 0; i < n; i++) {
            once();
        }
    }

    /** @return what the work computed */
    long sink() {
        return sink;
    }
}
