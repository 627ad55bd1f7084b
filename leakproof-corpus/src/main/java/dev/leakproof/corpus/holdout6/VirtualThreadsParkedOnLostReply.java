package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An RPC client that starts a virtual thread per call to wait for the call's reply: the reply's
 * {@link CompletableFuture} goes into a map of calls in flight by id, the virtual thread {@code join()}s it, and the
 * reply reader completes and removes the future when the reply comes. One reply in 64 is lost (the peer dropped it)
 * and the client has no timeout: its future stays in the in-flight map for ever, and its virtual thread stays parked
 * on it, with its stack chunk, its {@code Thread} object and the future's waiter. Virtual threads are not platform
 * threads, so no thread count moves; it is the heap that grows. First written as about 1.3 KB per lost reply, 20
 * bytes per iteration; measured 13.4–14.6 bytes per iteration after the first interval (about 900 bytes per lost
 * reply), so the truth is 14.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 14,
        culprit = "VirtualThread|StackChunk|CompletableFuture|Signaller|HashMap",
        userFrame = "VirtualThreadsParkedOnLostReply",
        summary = "a virtual thread per call parked on its reply; 1 reply in 64 is lost, no timeout")
public final class VirtualThreadsParkedOnLostReply implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Map<Long, CompletableFuture<Long>> inFlight = new HashMap<>();
    private final Thread.Builder waiters = Thread.ofVirtual().name("rpc-wait-", 0);
    private long calls;
    private volatile long handled;

    /** No call in flight. */
    public VirtualThreadsParkedOnLostReply() {
    }

    @Override
    public void run() {
        grind.once();
        long id = calls++;
        CompletableFuture<Long> reply = new CompletableFuture<>();
        inFlight.put(id, reply);
        waiters.start(() -> handled += reply.join());
        if (id % 64 != 63) { // the reply reader: 63 replies in 64 arrive
            inFlight.remove(id).complete(id);
        }
    }

    @Override
    public void close() {
        for (CompletableFuture<Long> f : inFlight.values()) {
            f.complete(-1L);
        }
        inFlight.clear();
    }
}
