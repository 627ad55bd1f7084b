package dev.leakproof.corpus.holdout5;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A per-tenant configuration lookup through a Caffeine {@link AsyncCache} (bounded, 8 tenants, each looked up in
 * turn), where every request applies the configuration with {@code thenAccept} on the cached future. One tenant's
 * upstream never answers and nothing times the call out, so that tenant's future stays incomplete in the cache for
 * ever, and each request for it pushes one more dependent stage (a {@code CompletableFuture$UniAccept} and the
 * {@code CompletableFuture} it completes, and the bound method reference {@code this::apply} made for the call:
 * 80 bytes) onto the stuck future's stack of completions. The other
 * seven tenants' futures are complete, so their {@code thenAccept} runs at once and keeps nothing. One request in 8
 * adds 80 bytes that stay reachable from the cache: 10 B per iteration, without bound, a small heap leak the
 * cache's own bound does nothing about (it holds 8 entries). First written as 8 B per iteration, without the
 * method reference; measured 10.0 B in each interval.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 10,
        culprit = "CompletableFuture|UniAccept|caffeine|Completion", userFrame = "CaffeineStuckTenantDependents",
        library = "Caffeine",
        summary = "Caffeine AsyncCache; 1 tenant in 8 never completes, a thenAccept per request piles up on it")
public final class CaffeineStuckTenantDependents implements Runnable {
    private static final int TENANTS = 8;
    private static final int STUCK = 5;
    private final Mill mill = new Mill();
    private final AsyncCache<Integer, int[]> configs = Caffeine.newBuilder()
            .maximumSize(1_000)
            .executor(Runnable::run)
            .buildAsync();
    private long calls;
    private long applied;

    /** Starts with an empty cache. */
    public CaffeineStuckTenantDependents() {
    }

    @Override
    public void run() {
        mill.once();
        int tenant = (int) (calls++ % TENANTS);
        configs.get(tenant, CaffeineStuckTenantDependents::fetch).thenAccept(this::apply);
    }

    private void apply(int[] config) {
        applied += config[0];
    }

    private static CompletableFuture<int[]> fetch(Integer tenant, Executor executor) {
        if (tenant == STUCK) {
            return new CompletableFuture<>(); // the upstream that never answers
        }
        return CompletableFuture.completedFuture(new int[] {tenant, tenant * 7, tenant * 13});
    }
}
