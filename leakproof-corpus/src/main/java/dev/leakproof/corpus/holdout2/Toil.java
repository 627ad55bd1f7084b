package dev.leakproof.corpus.holdout2;

/**
 * The second held-out round's own per-iteration work, written apart from the other cases' helpers: rounds of a
 * 64-bit multiply-xorshift mix over a 1,024-long table, allocation-free, about 20 µs a round set on the project's
 * 2-core machine, so an iteration costs what a small request costs. One per case instance; not thread-safe.
 */
final class Toil {
    private static final int PASSES = 12;
    private final long[] table = new long[1024];
    private long sink;

    Toil() {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < table.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            table[i] = x;
        }
    }

    /** Does one request's worth of work; the result is kept so the JIT cannot drop it. */
    void request() {
        long h = sink;
        for (int p = 0; p < PASSES; p++) {
            for (int i = 0; i < table.length; i++) {
                h = (h ^ table[i]) * 0xBF58476D1CE4E5B9L;
                h ^= h >>> 29;
            }
        }
        sink = h;
    }

    /** Does {@code n} requests' worth of work (the cases whose events are placed by call count use 5). */
    void requests(int n) {
        for (int i = 0; i < n; i++) {
            request();
        }
    }

    /** @return what the work computed */
    long sink() {
        return sink;
    }
}
