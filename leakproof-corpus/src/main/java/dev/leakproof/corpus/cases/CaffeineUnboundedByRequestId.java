package dev.leakproof.corpus.cases;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Caches every response in a Caffeine cache built without a size bound or expiry, keyed by the request id, which
 * is new on every iteration: no key is ever seen twice, so every entry stays. Per iteration the heap keeps a
 * cache node, a boxed key and a {@link CachedResponse} with a 64-byte body (well over 100 bytes), without
 * bound: a leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 150, culprit = "benmanes\\.caffeine|CachedResponse|\\.responses",
        userFrame = "CaffeineUnboundedByRequestId\\.run", library = "Caffeine",
        summary = "unbounded Caffeine cache keyed by a fresh request id every iteration")
public final class CaffeineUnboundedByRequestId implements Runnable {
    private final Work work = new Work();
    private final Cache<Long, CachedResponse> responses = Caffeine.newBuilder().build();
    private long requestId;

    /** Creates the cache. */
    public CaffeineUnboundedByRequestId() {
    }

    @Override
    public void run() {
        work.request();
        long id = ++requestId;
        responses.put(id, CachedResponse.of(id));
    }
}
