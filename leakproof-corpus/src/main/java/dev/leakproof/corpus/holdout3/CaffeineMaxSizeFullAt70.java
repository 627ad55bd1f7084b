package dev.leakproof.corpus.holdout3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A quote cache bounded by count: Caffeine {@code maximumSize(18_500)}, a quote (a 32-int record) for a new
 * instrument id every 2 iterations, sequential ids so every new key is a miss. The cache grows by one entry per
 * 2 calls until it holds 18,500 quotes at call 37,000 (about 70% of a 50,000-iteration run after 2,000 warm-up
 * calls), then evicts one for each it admits: heap rises for 70% of the run, then stays flat. A fill to a bound,
 * not a leak. Maintenance runs on the caller's thread so eviction keeps pace. Each iteration does 5 rounds of work
 * (~100 µs) so that a first pass stays near 50,000 iterations and the end of the fill lands where this says.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Caffeine",
        summary = "Caffeine maximumSize(18,500), a new key every 2 calls: full at call 37,000 (~70%), then flat")
public final class CaffeineMaxSizeFullAt70 implements Runnable {
    private final Grind grind = new Grind();
    private final Cache<Long, int[]> quotes = Caffeine.newBuilder()
            .maximumSize(18_500)
            .executor(Runnable::run)
            .build();
    private long calls;
    private long sum;

    /** Starts with an empty cache. */
    public CaffeineMaxSizeFullAt70() {
    }

    @Override
    public void run() {
        grind.times(5);
        long instrument = 7_000_000L + calls++ / 2;
        int[] quote = quotes.get(instrument, CaffeineMaxSizeFullAt70::price);
        sum += quote[(int) (instrument & 31)];
    }

    private static int[] price(long instrument) {
        int[] q = new int[32];
        for (int i = 0; i < q.length; i++) {
            q[i] = (int) (instrument * 31 + i);
        }
        return q;
    }
}
