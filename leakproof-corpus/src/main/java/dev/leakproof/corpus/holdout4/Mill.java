package dev.leakproof.corpus.holdout4;

/**
 * The fourth held-out round's own per-iteration work, written apart from the other packages' helpers: rounds of
 * a 64-bit FNV-1a-style fold with a rotate over a 1,536-long table, allocation-free, about 20 µs a call on the
 * project's 2-core machine, so that an iteration costs what a small request costs. One per case instance; not
 * thread-safe.
 */
final class Mill {
    private static final int ROUNDS = 8;
    private static final long PRIME = 0x100000001B3L;
    private final long[] table = new long[1536];
    private long sink = 0xCBF29CE484222325L;

    Mill() {
        long x = 0x9E3779B97F4A7C15L;
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
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < table.length; i++) {
                h ^= table[i];
                h *= PRIME;
                h = Long.rotateLeft(h, 23) + i;
            }
        }
        sink = h;
    }

    /** Does {@code n} requests' worth of work (the cases whose events are placed by call count use 5). */
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
