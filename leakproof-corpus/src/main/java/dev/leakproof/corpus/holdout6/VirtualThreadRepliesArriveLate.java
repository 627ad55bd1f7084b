package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * {@link VirtualThreadsParkedOnLostReply} without the lost replies, but with slow ones: a virtual thread per call
 * waits on the call's reply, and each reply arrives 256 calls later (a FIFO of calls in flight, completed from the
 * head). So 256 virtual threads are parked at every moment, each with its stack and future, a constant crowd that
 * is replaced call by call; the first calls also start the virtual-thread scheduler's carrier threads (one per core,
 * lazily). The heap moves with the crowd and the garbage, and the platform thread count steps up once: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a virtual thread per call parked on its reply; every reply arrives, 256 calls late")
public final class VirtualThreadRepliesArriveLate implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
    private final Thread.Builder waiters = Thread.ofVirtual().name("rpc-late-", 0);
    private long calls;
    private volatile long handled;

    /** No call in flight. */
    public VirtualThreadRepliesArriveLate() {
    }

    @Override
    public void run() {
        grind.once();
        long id = calls++;
        CompletableFuture<Long> reply = new CompletableFuture<>();
        inFlight.addLast(reply);
        waiters.start(() -> handled += reply.join());
        if (inFlight.size() > 256) {
            inFlight.removeFirst().complete(id);
        }
    }

    @Override
    public void close() {
        for (CompletableFuture<Long> f : inFlight) {
            f.complete(-1L);
        }
        inFlight.clear();
    }
}
