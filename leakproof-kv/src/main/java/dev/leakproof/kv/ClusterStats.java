package dev.leakproof.kv;

/**
 * The driver's counters since open ({@link Cluster#stats()}); RocksDB's own are
 * {@link Cluster#rocksDbStatistics()} and {@link Cluster#rocksDbProperty(String)}.
 *
 * @param blockingOperations operations called in their blocking form
 * @param asyncOperations    operations called in their {@code …Async} form
 * @param failedOperations   operations, of either form, that ended with an exception (including "not found" and
 *                           other answers that are errors by the data model, timeouts, and calls after close)
 * @param running            operations running RocksDB calls now (blocking ones and async work on the workers)
 * @param asyncInFlight      the async queue's depth: operations submitted and not completed yet
 * @param asyncCapacity      the most async operations out at once ({@link ClusterOptions#maxPendingOperations()})
 */
public record ClusterStats(long blockingOperations, long asyncOperations, long failedOperations, int running,
                           int asyncInFlight, int asyncCapacity) {
}
