package dev.leakproof.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link WorkQueue} is built. Immutable; start from {@link #named(String)} and change what you need.
 * {@snippet :
 * WorkQueue queue = WorkQueue.create(WorkQueueOptions.named("kv").withWorkers(4).withScratchBytes(1024));
 * }
 *
 * @param name               names the queue's threads and its reports
 * @param workers            worker threads running {@code work}
 * @param maxItems           bound on items allocated or in flight at once
 * @param scratchBytes       native scratch memory each item carries (0 for none)
 * @param whenExhausted      what {@link WorkQueue#allocate()} does when all items are out
 * @param allocateTimeout    how long {@link WhenExhausted#BLOCK} waits for an item
 * @param closeTimeout       how long {@link WorkQueue#close()} waits for work in flight
 * @param completionExecutor where after-work callbacks run, or null for a dedicated thread per queue
 * @param pooling            reuse items; off, every allocation makes a new item and a stale one is never handed
 *                           out again, so every use after recycle is caught (a debugging mode, and the
 *                           benchmark's "fresh items" baseline)
 * @param ticker             what the timeouts are measured with ({@link Ticker#system()}; tests give a fake one)
 * @param spin               how long a worker that ran a task polls for the next one, and a thread waiting in a
 *                           {@link WorkQueue.Rendezvous} polls for its item, before parking (see
 *                           {@link Defaults#SPIN}); {@link Duration#ZERO} never spins
 */
public record WorkQueueOptions(String name, int workers, int maxItems, long scratchBytes, WhenExhausted whenExhausted,
                               Duration allocateTimeout, Duration closeTimeout, Executor completionExecutor,
                               boolean pooling, Ticker ticker, Duration spin) {

    /** What allocation does when {@code maxItems} items are allocated or in flight. */
    public enum WhenExhausted {
        /** Throw {@link java.util.concurrent.RejectedExecutionException} at once. */
        FAIL,
        /** Wait up to {@code allocateTimeout} for an item to come back (back-pressure), then throw. */
        BLOCK
    }

    /** Every default, one documented constant each. */
    public static final class Defaults {
        /** Worker threads: the number of processors, as libuv's pool is sized to the machine. */
        public static final int WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors());
        /** Items out at once: enough for deep pipelines, small enough to stop a runaway producer. */
        public static final int MAX_ITEMS = 1024;
        /** No scratch memory unless asked for. */
        public static final long SCRATCH_BYTES = 0;
        /** Back-pressure rather than failure: a full queue slows producers down. */
        public static final WhenExhausted WHEN_EXHAUSTED = WhenExhausted.BLOCK;
        /** Longest wait for an item under back-pressure. */
        public static final Duration ALLOCATE_TIMEOUT = Duration.ofSeconds(30);
        /** Longest wait for in-flight work at close. */
        public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
        /** Items are pooled: a round trip allocates nothing. */
        public static final boolean POOLING = true;
        /** Timeouts follow the system's monotonic clock. */
        public static final Ticker TICKER = Ticker.system();
        /**
         * No spinning: a worker that ran a task, and a thread waiting in a {@link WorkQueue.Rendezvous}, park at
         * once. On the project's 2-vCPU VM a 20 µs spin took a kv {@code getAsync().join()} from 29 µs to 0.76 µs
         * at load 2–4, and from 10.4 µs to 16.1 µs the wrong way at load 6.5, where every spinning thread takes a
         * core another thread needs (docs/BENCHMARKS.md, "async round trip"); a library cannot know which machine
         * it runs on, so spinning is the caller's choice ({@link WorkQueueOptions#withSpin(Duration)}).
         */
        public static final Duration SPIN = Duration.ZERO;

        private Defaults() {
        }
    }

    /**
     * @throws NullPointerException     if name, whenExhausted, a timeout or the ticker is null
     * @throws IllegalArgumentException if a number is out of range or the name is blank
     */
    public WorkQueueOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(whenExhausted, "whenExhausted");
        Objects.requireNonNull(allocateTimeout, "allocateTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(spin, "spin");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a work queue needs a non-blank name");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1, got " + maxItems);
        }
        if (scratchBytes < 0) {
            throw new IllegalArgumentException("scratchBytes must not be negative, got " + scratchBytes);
        }
        if (allocateTimeout.isNegative() || closeTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
        if (spin.isNegative() || spin.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("spin must be between 0 and 1 s, got " + spin
                    + " (it is a busy wait: microseconds, or Duration.ZERO to never spin)");
        }
    }

    /**
     * @param name the queue's name
     * @return options with every default and that name
     */
    public static WorkQueueOptions named(String name) {
        return new WorkQueueOptions(name, Defaults.WORKERS, Defaults.MAX_ITEMS, Defaults.SCRATCH_BYTES,
                Defaults.WHEN_EXHAUSTED, Defaults.ALLOCATE_TIMEOUT, Defaults.CLOSE_TIMEOUT, null, Defaults.POOLING,
                Defaults.TICKER, Defaults.SPIN);
    }

    /** @param n worker threads @return a copy with that many */
    public WorkQueueOptions withWorkers(int n) {
        return new WorkQueueOptions(name, n, maxItems, scratchBytes, whenExhausted, allocateTimeout, closeTimeout,
                completionExecutor, pooling, ticker, spin);
    }

    /** @param n bound on items out at once @return a copy with that bound */
    public WorkQueueOptions withMaxItems(int n) {
        return new WorkQueueOptions(name, workers, n, scratchBytes, whenExhausted, allocateTimeout, closeTimeout,
                completionExecutor, pooling, ticker, spin);
    }

    /** @param bytes scratch bytes per item @return a copy with that size */
    public WorkQueueOptions withScratchBytes(long bytes) {
        return new WorkQueueOptions(name, workers, maxItems, bytes, whenExhausted, allocateTimeout, closeTimeout,
                completionExecutor, pooling, ticker, spin);
    }

    /** @param policy what a full queue does @param timeout how long BLOCK waits @return a copy */
    public WorkQueueOptions withWhenExhausted(WhenExhausted policy, Duration timeout) {
        return new WorkQueueOptions(name, workers, maxItems, scratchBytes, policy, timeout, closeTimeout,
                completionExecutor, pooling, ticker, spin);
    }

    /** @param timeout how long close waits for work in flight @return a copy */
    public WorkQueueOptions withCloseTimeout(Duration timeout) {
        return new WorkQueueOptions(name, workers, maxItems, scratchBytes, whenExhausted, allocateTimeout, timeout,
                completionExecutor, pooling, ticker, spin);
    }

    /** @param on pool items (off: a new item per allocation, every stale use caught) @return a copy */
    public WorkQueueOptions withPooling(boolean on) {
        return new WorkQueueOptions(name, workers, maxItems, scratchBytes, whenExhausted, allocateTimeout,
                closeTimeout, completionExecutor, on, ticker, spin);
    }

    /**
     * @param t what the allocate and close timeouts are measured with
     * @return a copy
     * @throws NullPointerException if {@code t} is null
     */
    public WorkQueueOptions withTicker(Ticker t) {
        return new WorkQueueOptions(name, workers, maxItems, scratchBytes, whenExhausted, allocateTimeout,
                closeTimeout, completionExecutor, pooling, t, spin);
    }

    /**
     * @param d how long a worker that ran a task, and a thread waiting in a {@link WorkQueue.Rendezvous}, poll
     *          before parking ({@link Duration#ZERO}: park at once)
     * @return a copy
     * @throws NullPointerException if {@code d} is null
     */
    public WorkQueueOptions withSpin(Duration d) {
        return new WorkQueueOptions(name, workers, maxItems, scratchBytes, whenExhausted, allocateTimeout,
                closeTimeout, completionExecutor, pooling, ticker, d);
    }

    /** @param executor where after-work callbacks run (null: a dedicated thread) @return a copy */
    public WorkQueueOptions withCompletionExecutor(Executor executor) {
        return new WorkQueueOptions(name, workers, maxItems, scratchBytes, whenExhausted, allocateTimeout,
                closeTimeout, executor, pooling, ticker, spin);
    }
}
