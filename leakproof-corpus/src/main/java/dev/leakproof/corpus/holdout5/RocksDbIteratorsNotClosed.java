package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A range scan over an embedded RocksDB (rocksdbjni) every 100 iterations: {@code newIterator()}, {@code seek},
 * read 4 entries, and the iterator is never closed. rocksdbjni frees the C++ iterator only in {@code close()} (no
 * finalizer, no cleaner), so each scan leaves its {@code ArenaWrappedDBIter} — its arena block, the merging and
 * table iterators, a pinned super-version reference — malloc'd for ever. First written as about 10 KB per
 * iterator, 100 B per iteration; measured apart at 8.9–9.0 KB of malloc per iterator (20,000 at a time), so the
 * truth is 90 B per iteration. The other iterations do point reads with {@code get}. The
 * case keeps the Java iterator objects in a list only so that {@link #close()} can close them before the database
 * (about 0.5 B per iteration of heap besides the native leak).
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 90, culprit = "malloc|rocksdb|Iterator",
        userFrame = "RocksDbIteratorsNotClosed", library = "rocksdbjni", flags = "--native-culprits",
        summary = "a rocksdbjni RocksIterator per range scan (every 100 iterations), never closed")
public final class RocksDbIteratorsNotClosed implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Shelf shelf;
    private final List<RocksIterator> forClose = new ArrayList<>();
    private long calls;
    private long read;

    /**
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if RocksDB fails
     */
    public RocksDbIteratorsNotClosed() throws IOException, RocksDBException {
        shelf = new Shelf(5_000, null);
    }

    @Override
    public void run() {
        mill.once();
        long n = calls++;
        try {
            if (n % 100 == 0) {
                RocksIterator it = shelf.db().newIterator();
                forClose.add(it);
                it.seek(shelf.key(n));
                for (int i = 0; i < 4 && it.isValid(); i++, it.next()) {
                    read += it.value().length;
                }
            } else {
                byte[] v = shelf.db().get(shelf.key(n));
                read += v == null ? 0 : v.length;
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("read failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        for (RocksIterator it : forClose) {
            it.close();
        }
        shelf.close();
    }
}
