package dev.leakproof.corpus.holdout5;

/**
 * The fifth held-out round's own per-iteration work, written apart from the other packages' helpers: FNV-1a
 * (64-bit) over a 16 KiB byte table, allocation-free, about 20 µs a call on the project's 2-core machine, so that
 * an iteration costs what a small request costs. One per case instance; not thread-safe.
 */
final class Mill {
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    private final byte[] table = new byte[16 * 1024];
    private long sink;

    Mill() {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < table.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            table[i] = (byte) x;
        }
    }

    /** Does one request's worth of work; the result is kept so the JIT cannot drop it. */
    void once() {
        long h = FNV_OFFSET ^ sink;
        for (byte b : table) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
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
