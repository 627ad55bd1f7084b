package dev.leakproof.kv;

import java.time.Duration;

/**
 * A background purge of expired entries, started by {@link Cluster#purgeExpiredEvery(Duration)}: a thread of the
 * driver's sweeps the keyspace at that interval and deletes every entry whose expiry has passed by the
 * cluster's clock, with its elements and tag links, as an access to it would. Closing it stops the sweeps (a
 * sweep running finishes first); closing the cluster closes it. A second {@code close()} does nothing.
 * {@snippet :
 * try (Cluster cluster = Cluster.open(dir);
 *      ExpiryPurge purge = cluster.purgeExpiredEvery(Duration.ofMinutes(1))) {
 *     // ...
 * }
 * }
 */
public sealed interface ExpiryPurge extends AutoCloseable permits ExpirySweeper {

    /** @return the sweeps completed since it started */
    long sweeps();

    /** @return the entries purged since it started */
    long purged();

    /**
     * Waits until at least {@code count} sweeps have completed since it started.
     *
     * @param count   the sweeps to wait for
     * @param timeout the longest wait
     * @return true once they have; false if the timeout passed or the purge was closed first
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean awaitSweeps(long count, Duration timeout) throws InterruptedException;

    /** Stops the sweeps; waits for one running to finish. */
    @Override
    void close();
}
