package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * The clean twin of {@link RocksDbIteratorsNotClosed} and {@link RocksDbSnapshotsNeverReleased} on the same kind of
 * database: a snapshot every 8 iterations, released after its two reads, and a range scan every 100 iterations
 * whose iterator is closed by try-with-resources. Every native object made is freed in the same call: native
 * memory stays flat after the database's first reads, no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "rocksdbjni",
        summary = "rocksdbjni snapshots released and iterators closed (try-with-resources)")
public final class RocksDbScansClosedSnapshotsReleased implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Shelf shelf;
    private final ReadOptions consistent;
    private long calls;
    private long read;

    /**
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if RocksDB fails
     */
    public RocksDbScansClosedSnapshotsReleased() throws IOException, RocksDBException {
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
                try {
                    consistent.setSnapshot(snapshot);
                    read += length(shelf.db().get(consistent, shelf.key(n)));
                    read += length(shelf.db().get(consistent, shelf.key(n + 1)));
                } finally {
                    consistent.setSnapshot(null);
                    shelf.db().releaseSnapshot(snapshot);
                }
            } else {
                read += length(shelf.db().get(shelf.key(n)));
            }
            if (n % 100 == 0) {
                try (RocksIterator it = shelf.db().newIterator()) {
                    it.seek(shelf.key(n));
                    for (int i = 0; i < 4 && it.isValid(); i++, it.next()) {
                        read += it.value().length;
                    }
                }
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
        shelf.close();
    }
}
