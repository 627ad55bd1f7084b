package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.HashMap;
import java.util.Map;

/**
 * Subscribes a price listener to a static {@link HashMap} registry on every iteration (a request that watches a
 * price for its duration) and never unsubscribes it. Per iteration the static map keeps a map node, a boxed id
 * and the listener (about 80 bytes), and its table doubles as it fills, without bound: a leak. {@link #close()}
 * clears the registry only to leave the JVM hosting the soak clean.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 80, culprit = "StaticListenerRegistry|PriceListener|HashMap",
        userFrame = "StaticListenerRegistry\\.run", summary = "a listener added to a static HashMap registry every iteration, never removed")
public final class StaticListenerRegistry implements Runnable, AutoCloseable {
    static final Map<Long, PriceListener> LISTENERS = new HashMap<>();
    private final Work work = new Work();
    private long requestId;

    /** Creates the case. */
    public StaticListenerRegistry() {
    }

    @Override
    public void run() {
        work.request();
        long id = ++requestId;
        LISTENERS.put(id, new PriceListener(id, 100.0 + id % 7));
    }

    @Override
    public void close() {
        LISTENERS.clear();
    }

    /**
     * What a request registers.
     *
     * @param requestId who listens
     * @param threshold the price it waits for
     */
    record PriceListener(long requestId, double threshold) {
    }
}
