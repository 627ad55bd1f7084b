package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/**
 * A consistent read of two keys from an embedded RocksDB every 8 iterations: {@code getSnapshot()}, two reads
 * through one reused {@link ReadOptions} set to that snapshot, and the snapshot is never given to
 * {@code releaseSnapshot}. The Java {@link Snapshot} object is dropped (it owns nothing), but the database keeps the
 * C++ {@code SnapshotImpl} in its list of live snapshots until it is released, which it never is: one small native
 * object per 8 iterations, without bound — a small native leak
 * (with writes it would also pin every overwritten version; this database is read-only). The other iterations read
 * without a snapshot. First written as 64 bytes a snapshot, 8 B per iteration; measured 80–82 bytes of malloc a
 * snapshot (apart, 20,000 at a time) and 10.1–11.3 B per iteration in the case, so the truth is 10.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 10, culprit = "malloc|rocksdb|Snapshot",
        userFrame = "RocksDbSnapshotsNeverReleased", library = "rocksdbjni", flags = "--native-culprits",
        summary = "a rocksdbjni getSnapshot() per consistent read (every 8 iterations), never released")
public final class RocksDbSnapshotsNeverReleased implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Shelf shelf;
    private final ReadOptions consistent;
    private long calls;
    private long read;

    /**
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if RocksDB fails
     */
    public RocksDbSnapshotsNeverReleased() throws IOException, RocksDBException {
        shelf = new Shelf(5_000, null);
        consistent = new ReadOptions(); // after the library is loaded
    }

    @Override
    public void run() {
        mill.once();
        long n = calls++;
        try {
            if (n % 8 == 0) {
                Snapshot snapshot = shelf.db().getSnapshot();
                consistent.setSnapshot(snapshot);
                read += length(shelf.db().get(consistent, shelf.key(n)));
                read += length(shelf.db().get(consistent, shelf.key(n + 1)));
                consistent.setSnapshot(null); // the snapshot is forgotten here, never released
            } else {
                read += length(shelf.db().get(shelf.key(n)));
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("read failed", e);
        }
    }

    private static int length(byte[] v) {
        return v == null ? 0 : v.length;
    }

    @Override
    public void close() throws IOException {
        consistent.close();
        shelf.close(); // RocksDB's close frees what is left of the unreleased snapshots with the database
    }
}
