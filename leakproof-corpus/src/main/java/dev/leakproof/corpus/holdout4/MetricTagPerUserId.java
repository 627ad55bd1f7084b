package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A request counter registry keyed by metric name and route: most requests hit one of 16 templated routes
 * ({@code /orders/{id}}), whose counters exist after the first calls, but one request in 32 goes through a handler
 * that tags the raw path, {@code /users/8123456}, with a new user id each time. The registry never drops a
 * counter, so every such request adds a key for good: a {@link ConcurrentHashMap} node (32 B), the name
 * ({@code String} 24 B and its 56-byte Latin-1 array for ~40 characters) and a {@link LongAdder} (24 B), about 136
 * bytes and a table slot, per 32 iterations: about 4.4 B per iteration by this count, 4.7 B measured (the table's
 * doublings; 150 B a key), never pruned — a metric-cardinality leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 4.7,
        culprit = "ConcurrentHashMap|LongAdder|String|byte\\[\\]|MetricTagPerUserId",
        userFrame = "MetricTagPerUserId",
        summary = "request counters keyed by route; 1 request in 32 tags the raw /users/<id> path (a new key)")
public final class MetricTagPerUserId implements Runnable {
    private static final String[] ROUTES = new String[16];

    static {
        for (int i = 0; i < ROUTES.length; i++) {
            ROUTES[i] = "http.server.requests|uri=/api/v2/route" + i + "/{id}";
        }
    }

    private final Mill mill = new Mill();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private long calls;

    /** Starts with no counters. */
    public MetricTagPerUserId() {
    }

    @Override
    public void run() {
        mill.once();
        String name;
        if (calls % 32 == 31) {
            name = "http.server.requests|uri=/users/" + (8_000_000L + calls / 32);
        } else {
            name = ROUTES[(int) (calls & 15)];
        }
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
        calls++;
    }
}
