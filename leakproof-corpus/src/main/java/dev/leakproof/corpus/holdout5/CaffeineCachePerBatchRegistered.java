package dev.leakproof.corpus.holdout5;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * A Caffeine cache built per import batch (every 250 iterations: {@code maximumSize(64)}, {@code recordStats()}), used
 * for the batch's lookups, and registered with the application's metrics registry so its hit rate is exported, as a
 * metrics binder does for every cache it is given (a scrape every 10,000 iterations reads them all). Nothing
 * unregisters it when the batch ends, so the registry keeps every batch's cache with its 8 entries, its hash table, its
 * frequency sketch and its stats counters: a few KB per 250 iterations, for ever. The registry is the leak, not the
 * cache's bound. First written as 12 B per iteration (about 3 KB per cache); measured 10.35–10.40 B in each interval
 * (2.6 KB per cache), so the truth is 10.4.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 10.4,
        culprit = "caffeine|registry|ArrayList|Object\\[\\]|LongAdder|ConcurrentHashMap|FrequencySketch",
        userFrame = "CaffeineCachePerBatchRegistered", library = "Caffeine",
        summary = "a recordStats() Caffeine cache per batch (every 250 iterations), registered for metrics, kept")
public final class CaffeineCachePerBatchRegistered implements Runnable {
    private static final int BATCH = 250;
    private final Mill mill = new Mill();
    private final List<Cache<Integer, long[]>> registry = new ArrayList<>();
    private Cache<Integer, long[]> batch;
    private long calls;
    private long hits;
    private long exported;

    /** Starts with an empty registry. */
    public CaffeineCachePerBatchRegistered() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls++ % BATCH == 0) {
            batch = Caffeine.newBuilder().maximumSize(64).recordStats().executor(Runnable::run).build();
            registry.add(batch); // the metrics binder's registration, never undone
        }
        int sku = (int) (calls % 8);
        hits += batch.get(sku, k -> new long[] {k, calls})[0];
        if (calls % 10_000 == 0) {
            exported = scrape();
        }
    }

    /** @return the hit count summed over every registered cache, as the metrics scrape reads it */
    private long scrape() {
        long sum = 0;
        for (Cache<Integer, long[]> c : registry) {
            CacheStats s = c.stats();
            sum += s.hitCount();
        }
        return sum;
    }
}
