package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;

/**
 * Reads a key from an embedded RocksDB on every iteration with a new {@link ReadOptions} closed by
 * try-with-resources, which deletes the C++ object. Native memory churns and stays flat: not a leak (the twin of
 * {@link RocksDbReadOptionsNotClosed}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "rocksdbjni",
        summary = "a rocksdbjni ReadOptions per get, closed")
public final class RocksDbReadOptionsClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final RocksDbReadOptionsNotClosed.Rocks rocks;
    private long calls;

    /**
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if the database cannot be opened
     */
    public RocksDbReadOptionsClosed() throws IOException, RocksDBException {
        rocks = new RocksDbReadOptionsNotClosed.Rocks();
    }

    @Override
    public void run() {
        work.request();
        try (ReadOptions ro = new ReadOptions()) {
            rocks.get(ro, ++calls);
        }
    }

    @Override
    public void close() throws IOException {
        rocks.close();
    }
}
