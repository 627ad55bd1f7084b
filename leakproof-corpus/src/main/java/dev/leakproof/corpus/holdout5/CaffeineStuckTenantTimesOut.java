package dev.leakproof.corpus.holdout5;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@link CaffeineStuckTenantDependents} with its fix: the upstream call gets {@code orTimeout(100 ms)}. The stuck
 * tenant's future still collects a dependent stage per request, but 100 ms after it was made the JDK's delay
 * scheduler completes it exceptionally: its dependents run (and fail) and are dropped, and Caffeine removes a
 * future that failed, so the next request fetches again and starts a new 100 ms window. At any time the cache holds
 * at most about 100 ms of dependents (about 600 at this rate, some 40 KB), whatever the length of the run: heap
 * rises to that level at once and stays there, no leak. The scheduler's one daemon thread starts with the first
 * timeout and stays: threads step once.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Caffeine",
        summary = "the same stuck tenant with orTimeout(100 ms): dependents dropped when it times out, re-fetched")
public final class CaffeineStuckTenantTimesOut implements Runnable {
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
    public CaffeineStuckTenantTimesOut() {
    }

    @Override
    public void run() {
        mill.once();
        int tenant = (int) (calls++ % TENANTS);
        configs.get(tenant, CaffeineStuckTenantTimesOut::fetch).thenAccept(this::apply);
    }

    private void apply(int[] config) {
        applied += config[0];
    }

    private static CompletableFuture<int[]> fetch(Integer tenant, Executor executor) {
        if (tenant == STUCK) {
            return new CompletableFuture<int[]>().orTimeout(100, TimeUnit.MILLISECONDS);
        }
        return CompletableFuture.completedFuture(new int[] {tenant, tenant * 7, tenant * 13});
    }
}
