package dev.leakproof.corpus.holdout2;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A page cache bounded by weight: rendered fragments of 100 bytes, weighed by their length, under a
 * {@code maximumWeight} of 1,725,000 bytes, a fragment for a new page id every 2 iterations. The cache grows by
 * one entry per 2 calls until it holds 17,250 fragments at call 34,500 (about 65% of a 50,000-iteration run after
 * 2,000 warm-up calls), then evicts one for each it admits: heap rises for two thirds of the run, then stays flat.
 * A fill to a bound, not a leak. Maintenance runs on the caller's thread so eviction keeps pace. Each iteration
 * does 5 rounds of work (~100 µs) so that a first pass stays near 50,000 iterations and the end of the fill lands
 * where this says.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Caffeine",
        summary = "Caffeine maximumWeight(1.725 MB) of 100 B fragments, a new key every 2 calls: full at call 34,500")
public final class CaffeineWeightedFillsAt65 implements Runnable {
    private final Toil toil = new Toil();
    private final Cache<Long, byte[]> fragments = Caffeine.newBuilder()
            .maximumWeight(1_725_000)
            .weigher((Long page, byte[] fragment) -> fragment.length)
            .executor(Runnable::run)
            .build();
    private long calls;
    private long served;

    /** Starts with an empty cache. */
    public CaffeineWeightedFillsAt65() {
    }

    @Override
    public void run() {
        toil.requests(5);
        long page = 1_000_000L + calls++ / 2;
        byte[] fragment = fragments.get(page, p -> render(p));
        served += fragment.length;
    }

    private static byte[] render(long page) {
        byte[] b = new byte[100];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (page >>> (i % 8) * 8);
        }
        return b;
    }
}
