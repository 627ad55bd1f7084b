package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tenant store whose handles each make their own {@link Cleaner} (to release their buffers if a caller forgets
 * to close them), instead of sharing one. {@link Cleaner#create(ThreadFactory)} starts a daemon thread that runs
 * until the cleaner itself is unreachable, and the handles are cached by tenant for good, with a new tenant every
 * 800 iterations: one thread per 800 iterations, 0.00125 per iteration, never stopped (each also keeps its handle,
 * its stack and its thread object). Each iteration touches the current tenant's handle.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 800,
        culprit = "store-cleaner", userFrame = "CleanerPerTenantStore",
        summary = "a Cleaner.create() per tenant handle (a thread each), a new tenant every 800 iterations, handles cached")
public final class CleanerPerTenantStore implements Runnable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final Mill mill = new Mill();
    private final Map<Long, Handle> handles = new HashMap<>();
    private long calls;
    private long acc;

    /** No tenant until the first call. */
    public CleanerPerTenantStore() {
    }

    @Override
    public void run() {
        mill.once();
        long tenant = calls / 800;
        Handle h = handles.computeIfAbsent(tenant, Handle::new);
        acc += h.touch(mill.sink());
        calls++;
    }

    /** A tenant's handle, with a buffer its cleaner would release. */
    static final class Handle {
        private static final ThreadFactory FACTORY =
                r -> Thread.ofPlatform().daemon().name("store-cleaner-" + THREADS.incrementAndGet()).unstarted(r);
        private final Cleaner cleaner = Cleaner.create(FACTORY);
        private final long[] state = new long[4];

        Handle(long tenant) {
            long[] buffers = state;
            cleaner.register(this, () -> buffers[0] = 0);
            state[0] = tenant;
        }

        long touch(long v) {
            state[1] ^= v;
            return state[0];
        }
    }
}
