package dev.leakproof.corpus.holdout3;

/**
 * The third held-out round's own per-iteration work, written apart from the other packages' helpers: passes of
 * Murmur3's 32-bit finaliser over a 2,048-int table, allocation-free, about 20 µs a call on the project's 2-core
 * machine, so that an iteration costs what a small request costs. One per case instance; not thread-safe.
 */
final class Grind {
    private static final int PASSES = 3;
    private final int[] table = new int[2048];
    private int sink;

    Grind() {
        int x = 0x2545F491;
        for (int i = 0; i < table.length; i++) {
            x = x * 1_664_525 + 1_013_904_223;
            table[i] = x;
        }
    }

    /** Does one request's worth of work; the result is kept so the JIT cannot drop it. */
    void once() {
        int h = sink;
        for (int p = 0; p < PASSES; p++) {
            for (int i = 0; i < table.length; i++) {
                h ^= table[i];
                h ^= h >>> 16;
                h *= 0x85EBCA6B;
                h ^= h >>> 13;
                h *= 0xC2B2AE35;
                h ^= h >>> 16;
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
    int sink() {
        return sink;
    }
}
