package dev.leakproof.kv;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread behind {@link ExpiryPurge}. Design note: a sweep is a blocking operation of the cluster
 * ({@link Cluster#purgeExpired()}) run on this thread, so close waits for it as for any call, and it judges expiry
 * by the cluster's clock; only the pause between sweeps is real time. It is not a RocksDB compaction filter:
 * that would be a Java upcall on RocksDB's background threads, which hangs the JVM at exit (docs/kv.md), it
 * would run only when RocksDB happens to compact, and it sees one key at a time, so it could not delete the
 * tag links and elements that belong to an entry.
 */
final class ExpirySweeper implements ExpiryPurge {
    private static final System.Logger LOG = System.getLogger("dev.leakproof.kv");

    private final Cluster cluster;
    private final long intervalNanos;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long sweeps;
    private long purged;
    private boolean closed;

    ExpirySweeper(Cluster cluster, Duration interval) {
        this.cluster = cluster;
        this.intervalNanos = interval.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("kv-purge-" + cluster.directory().getFileName())
                .unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (true) {
            long n;
            try {
                n = cluster.purgeExpired();
            } catch (ClusterClosedException e) {
                close();
                return;
            } catch (RuntimeException e) {
                // a failed sweep (a RocksDB error, a lock timeout) is retried at the next interval
                LOG.log(System.Logger.Level.WARNING, "expiry purge of " + cluster.directory() + " failed; retried in "
                        + Duration.ofNanos(intervalNanos), e);
                n = 0;
            }
            lock.lock();
            try {
                sweeps++;
                purged += n;
                changed.signalAll();
                long wait = intervalNanos;
                while (!closed && wait > 0) {
                    wait = changed.awaitNanos(wait);
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public long sweeps() {
        lock.lock();
        try {
            return sweeps;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long purged() {
        lock.lock();
        try {
            return purged;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitSweeps(long count, Duration timeout) throws InterruptedException {
        long wait = timeout.toNanos();
        lock.lock();
        try {
            while (sweeps < count) {
                if (closed || wait <= 0) {
                    return false;
                }
                wait = changed.awaitNanos(wait);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        cluster.purgeClosed(this);
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (true) {
                try {
                    // a sweep is bounded by the operation timeout of each of its transactions
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ExpiryPurge[" + cluster.directory() + " every " + Duration.ofNanos(intervalNanos) + "]";
    }
}
