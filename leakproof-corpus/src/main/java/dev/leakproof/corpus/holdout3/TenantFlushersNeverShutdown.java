package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A multi-tenant metrics service that gives each tenant its own single-thread scheduled executor, with an hourly
 * flush scheduled on it, and keeps the executors in a map; a new tenant signs up every 400 iterations and no
 * tenant is ever removed or its executor shut down. Scheduling the flush starts the executor's core thread
 * ({@code tenant-flusher-N}), which then waits for the next hour: one platform thread per 400 iterations, never
 * stopped — a thread leak. Each iteration records a sample for the current tenant.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 400,
        culprit = "tenant-flusher", userFrame = "TenantFlushersNeverShutdown",
        summary = "a single-thread scheduled executor (hourly flush) per tenant every 400 iterations, never shut down")
public final class TenantFlushersNeverShutdown implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Map<Long, ScheduledExecutorService> flushers = new HashMap<>();
    private final Map<Long, long[]> samples = new HashMap<>();
    private long calls;

    /** No tenant until the first call. */
    public TenantFlushersNeverShutdown() {
    }

    @Override
    public void run() {
        grind.once();
        long tenant = calls++ / 400;
        long[] counts = samples.computeIfAbsent(tenant, t -> {
            long[] c = new long[1];
            ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
                    r -> new Thread(r, "tenant-flusher-" + t));
            flusher.scheduleAtFixedRate(() -> c[0] = 0, 1, 1, TimeUnit.HOURS);
            flushers.put(t, flusher);
            return c;
        });
        counts[0]++;
    }

    @Override
    public void close() {
        flushers.values().forEach(ScheduledExecutorService::shutdownNow);
    }
}
