package dev.leakproof.kv.internal.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How a router's connections wait for a reply: a thread that is the only one of the router waiting polls the socket
 * for up to {@link #spinNanos} before it blocks in the kernel's read; when others wait too, it blocks at once, so
 * that pollers never take the cores the Redis nodes and the other callers need (four polling threads on this
 * 2-vCPU VM halved the throughput of four blocking threads, docs/BENCHMARKS.md).
 */
final class ReplyPolling {
    /** How long a lone waiter polls; 0: never. */
    final long spinNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder polled = new LongAdder();
    private final LongAdder outlasted = new LongAdder();

    /** @param spinNanos how long a lone waiter polls (0: never) */
    ReplyPolling(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** @return whether the caller, now counted as waiting, is the only one (balance with {@link #done}) */
    boolean startAlone() {
        return waiting.incrementAndGet() == 1;
    }

    /** Ends a wait begun by {@link #startAlone}. */
    void done() {
        waiting.decrementAndGet();
    }

    /** Counts a reply that arrived while its thread polled. */
    void polledOne() {
        polled.increment();
    }

    /**
     * Counts a lone waiter whose poll ended without a reply (the spin ran out, or the stream ended or failed): it
     * went on to hiredis's blocking read.
     */
    void outlastedOne() {
        outlasted.increment();
    }

    /** @return replies that arrived while their thread polled, since the router opened */
    long polled() {
        return polled.sum();
    }

    /** @return lone waiters whose poll ended without a reply, since the router opened */
    long outlasted() {
        return outlasted.sum();
    }
}
