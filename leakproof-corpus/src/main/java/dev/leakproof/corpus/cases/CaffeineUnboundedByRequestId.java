package dev.leakproof.corpus.cases;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Caches every response in a Caffeine cache built without a size bound or expiry, keyed by the request id, which
 * is new on every iteration: no key is ever seen twice, so every entry stays. Per iteration the heap keeps a
 * cache node, a boxed key and a {@link CachedResponse} with a 64-byte body (well over 100 bytes), without
 * bound: a leak. The user's frame is the first frame outside the JDK and the libraries (issue 10's definition):
 * {@code run} for the cache's own nodes, {@code CachedResponse.of} for the body it allocates. (Widened from
 * {@code run} alone after the first full run named {@code CachedResponse.of}, which that definition allows;
 * recorded in docs/corpus.md.)
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 150, culprit = "benmanes\\.caffeine|CachedResponse|\\.responses",
        userFrame = "CaffeineUnboundedByRequestId\\.run|CachedResponse\\.of", library = "Caffeine",
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
