package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Reads a key from an embedded RocksDB (rocksdbjni) on every iteration with a new {@link ReadOptions} that it never
 * closes. rocksdbjni frees the C++ object only on {@code close()} (there is no finalizer or cleaner), so each
 * iteration leaves a {@code rocksdb::ReadOptions} (a couple of hundred bytes) malloc'd by the library, without
 * bound: a native leak, the 2015 post's read-options leak on the Java binding.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 150, culprit = "ReadOptions|rocksdb",
        userFrame = "RocksDbReadOptionsNotClosed\\.run", library = "rocksdbjni", flags = "--native-culprits",
        summary = "a rocksdbjni ReadOptions per get, never closed")
public final class RocksDbReadOptionsNotClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final Rocks rocks;
    private long calls;

    /**
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if the database cannot be opened
     */
    public RocksDbReadOptionsNotClosed() throws IOException, RocksDBException {
        rocks = new Rocks();
    }

    @Override
    public void run() {
        work.request();
        ReadOptions ro = new ReadOptions();
        rocks.get(ro, ++calls);
    }

    @Override
    public void close() throws IOException {
        rocks.close();
    }

    /** A small database in a temporary directory, shared by the RocksDB cases. */
    static final class Rocks implements AutoCloseable {
        static final int KEYS = 1000;
        private final Path dir;
        private final Options options;
        private final RocksDB db;
        private long found;

        Rocks() throws IOException, RocksDBException {
            RocksDB.loadLibrary();
            dir = Files.createTempDirectory("corpus-rocks-");
            options = new Options().setCreateIfMissing(true);
            db = RocksDB.open(options, dir.toString());
            for (int k = 0; k < KEYS; k++) {
                db.put(key(k), ("value-" + k).getBytes(StandardCharsets.US_ASCII));
            }
        }

        static byte[] key(long k) {
            return ("key-" + k % KEYS).getBytes(StandardCharsets.US_ASCII);
        }

        void get(ReadOptions ro, long k) {
            try {
                byte[] v = db.get(ro, key(k));
                found += v == null ? 0 : v.length;
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            db.close();
            options.close();
            Cleanup.deleteTree(dir);
        }
    }
}
