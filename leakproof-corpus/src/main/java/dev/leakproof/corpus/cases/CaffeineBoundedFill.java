package dev.leakproof.corpus.cases;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.SplittableRandom;

/**
 * Looks responses up in a Caffeine cache bounded by {@code maximumSize(10_000)}, loading on a miss, with keys
 * drawn uniformly from 10,500 ids (fixed seed). The number of distinct keys seen rises ever more slowly
 * (10,500 × (1 − e^(−n/10,500))) and reaches the bound after about 32,000 calls; past it the cache evicts. Its
 * size can never pass 10,000 entries (a few MB): a slowing fill up to a bound, not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Caffeine",
        summary = "Caffeine maximumSize(10_000), random keys from 10,500 ids: slowing fill to the bound")
public final class CaffeineBoundedFill implements Runnable {
    private static final int KEY_SPACE = 10_500;
    private final Work work = Work.heavy();
    private final Cache<Long, CachedResponse> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    private final SplittableRandom random = new SplittableRandom(42);
    private long bodies;

    /** Creates an empty cache. */
    public CaffeineBoundedFill() {
    }

    @Override
    public void run() {
        work.request();
        long key = random.nextInt(KEY_SPACE);
        bodies += cache.get(key, CachedResponse::of).body().length;
    }
}
