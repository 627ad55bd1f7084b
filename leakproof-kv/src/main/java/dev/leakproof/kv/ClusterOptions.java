package dev.leakproof.kv;

import dev.leakproof.core.TrackingLevel;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a {@link Cluster} runs. Immutable; start from {@link #defaults()}.
 * {@snippet :
 * Cluster c = Cluster.open(dir, ClusterOptions.defaults().withWorkerThreads(4).withSyncWrites(true));
 * }
 *
 * @param workerThreads         threads running async operations
 * @param operationTimeout      longest wait for a key lock or for a free slot in the async queue (at least 1 s,
 *                              as in the 2015 addon); beyond it an operation fails with {@link KvTimeoutException}
 * @param syncWrites            fsync RocksDB's write-ahead log on every commit
 * @param trackingLevel         leakproof-core tracking level of this cluster's own work (its open and each
 *                              operation, blocking or async), opened as a scope around that work, so it changes
 *                              no other cluster's or caller's level; null to track the work at the level around
 *                              it (the caller's level scope, else the process default)
 * @param maxPendingOperations  async operations queued or running at once; more wait up to the timeout
 * @param clock                 what expiry reads the time from ({@code expiresFromNow}, whether an entry has
 *                              expired); tests give a fake one
 * @param rocksDbStatistics     have RocksDB collect its statistics (tickers and histograms), read with
 *                              {@link Cluster#rocksDbStatistics()}; they cost a little on every call
 * @param asyncSpin             how long an async worker that ran an operation polls for the next, and a thread
 *                              blocked in {@code join()}/{@code get()} on an async operation polls for its result,
 *                              before parking ({@code WorkQueueOptions.spin}); 20 µs by default,
 *                              {@link Duration#ZERO} never spins (docs/kv.md)
 */
public record ClusterOptions(int workerThreads, Duration operationTimeout, boolean syncWrites,
                             TrackingLevel trackingLevel, int maxPendingOperations, InstantSource clock,
                             boolean rocksDbStatistics, Duration asyncSpin) {

    /** Every default, one documented constant each. */
    public static final class Defaults {
        /** Async workers: one per processor, like libuv's pool sized to the machine. */
        public static final int WORKER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
        /** Operation timeout: long enough for a busy disk, short enough to surface a deadlock. */
        public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);
        /** The shortest timeout accepted (the 2015 addon rejected anything below one second). */
        public static final Duration MIN_OPERATION_TIMEOUT = Duration.ofSeconds(1);
        /** No fsync per commit: the WAL still makes completed writes survive a process crash. */
        public static final boolean SYNC_WRITES = false;
        /** No level of the cluster's own: its work is tracked at the level around it (the caller's, else the default). */
        public static final TrackingLevel TRACKING_LEVEL = null;
        /** Async operations out at once. */
        public static final int MAX_PENDING_OPERATIONS = 1024;
        /** Expiry follows the system clock. */
        public static final InstantSource CLOCK = InstantSource.system();
        /** RocksDB's statistics off: they cost on every call, and the driver's own counters are always on. */
        public static final boolean ROCKSDB_STATISTICS = false;
        /**
         * 20 µs: on the project's 2-vCPU VM it took one {@code getAsync().join()} from 29–46 µs to 0.76–8.3 µs
         * whenever a parked thread was slow to wake (idle vCPUs), and cost 1.5× (10 → 16 µs) when other work kept
         * both cores busy; with operations in flight it costs nothing measurable, since one worker at a time spins
         * and a waiter does not spin while more work is queued than there are workers (docs/BENCHMARKS.md, "async round trip"). {@link Duration#ZERO} on a machine with no core to spare.
         */
        public static final Duration ASYNC_SPIN = Duration.ofNanos(20_000);

        private Defaults() {
        }
    }

    /**
     * @throws NullPointerException     if {@code operationTimeout}, {@code clock} or {@code asyncSpin} is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public ClusterOptions {
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(asyncSpin, "asyncSpin");
        if (asyncSpin.isNegative() || asyncSpin.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("asyncSpin must be between 0 and 1 s, got " + asyncSpin
                    + " (it is a busy wait: microseconds, or Duration.ZERO to never spin)");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1, got " + workerThreads);
        }
        if (operationTimeout.compareTo(Defaults.MIN_OPERATION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("operationTimeout must be at least " + Defaults.MIN_OPERATION_TIMEOUT
                    + ", got " + operationTimeout);
        }
        if (maxPendingOperations < 1) {
            throw new IllegalArgumentException("maxPendingOperations must be at least 1, got " + maxPendingOperations);
        }
    }

    /** @return options with every default */
    public static ClusterOptions defaults() {
        return new ClusterOptions(Defaults.WORKER_THREADS, Defaults.OPERATION_TIMEOUT, Defaults.SYNC_WRITES,
                Defaults.TRACKING_LEVEL, Defaults.MAX_PENDING_OPERATIONS, Defaults.CLOCK,
                Defaults.ROCKSDB_STATISTICS, Defaults.ASYNC_SPIN);
    }

    /** @param n async worker threads @return a copy */
    public ClusterOptions withWorkerThreads(int n) {
        return new ClusterOptions(n, operationTimeout, syncWrites, trackingLevel, maxPendingOperations,
                clock, rocksDbStatistics, asyncSpin);
    }

    /** @param timeout operation timeout @return a copy */
    public ClusterOptions withOperationTimeout(Duration timeout) {
        return new ClusterOptions(workerThreads, timeout, syncWrites, trackingLevel, maxPendingOperations,
                clock, rocksDbStatistics, asyncSpin);
    }

    /** @param sync fsync per commit @return a copy */
    public ClusterOptions withSyncWrites(boolean sync) {
        return new ClusterOptions(workerThreads, operationTimeout, sync, trackingLevel, maxPendingOperations,
                clock, rocksDbStatistics, asyncSpin);
    }

    /** @param level tracking level to set at open (null: leave it) @return a copy */
    public ClusterOptions withTrackingLevel(TrackingLevel level) {
        return new ClusterOptions(workerThreads, operationTimeout, syncWrites, level, maxPendingOperations,
                clock, rocksDbStatistics, asyncSpin);
    }

    /** @param n async operations out at once @return a copy */
    public ClusterOptions withMaxPendingOperations(int n) {
        return new ClusterOptions(workerThreads, operationTimeout, syncWrites, trackingLevel, n,
                clock, rocksDbStatistics, asyncSpin);
    }

    /** @param clock what expiry reads the time from @return a copy */
    public ClusterOptions withClock(InstantSource clock) {
        return new ClusterOptions(workerThreads, operationTimeout, syncWrites, trackingLevel, maxPendingOperations,
                clock, rocksDbStatistics, asyncSpin);
    }

    /**
     * @param spin how long async workers and threads blocked on an async result poll before parking
     * @return a copy
     * @throws NullPointerException if {@code spin} is null
     */
    public ClusterOptions withAsyncSpin(Duration spin) {
        return new ClusterOptions(workerThreads, operationTimeout, syncWrites, trackingLevel, maxPendingOperations,
                clock, rocksDbStatistics, spin);
    }

    /** @param on have RocksDB collect its statistics @return a copy */
    public ClusterOptions withRocksDbStatistics(boolean on) {
        return new ClusterOptions(workerThreads, operationTimeout, syncWrites, trackingLevel, maxPendingOperations,
                clock, on, asyncSpin);
    }
}
