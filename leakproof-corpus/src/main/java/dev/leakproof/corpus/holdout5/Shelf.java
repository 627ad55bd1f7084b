package dev.leakproof.corpus.holdout5;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.TableFormatConfig;

/**
 * An embedded RocksDB in a temporary directory for the RocksDB cases of this package: {@code keys} keys of a
 * 100-byte value, written once, flushed to one table file, then only read. One per case instance.
 */
final class Shelf implements AutoCloseable {
    private final int keys;
    private final Path dir;
    private final Options options;
    private final RocksDB db;

    /**
     * @param keys  how many keys to write
     * @param table the table format (block size and cache), or null for RocksDB's default
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if RocksDB fails
     */
    Shelf(int keys, TableFormatConfig table) throws IOException, RocksDBException {
        RocksDB.loadLibrary();
        this.keys = keys;
        dir = Scratch.directory("holdout5-rocks-");
        options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.NO_COMPRESSION);
        if (table != null) {
            options.setTableFormatConfig(table);
        }
        db = RocksDB.open(options, dir.toString());
        byte[] value = new byte[100];
        for (int k = 0; k < keys; k++) {
            value[0] = (byte) k;
            db.put(key(k), value);
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
    }

    /** @return the database */
    RocksDB db() {
        return db;
    }

    /**
     * @param n any call number
     * @return the key of {@code n} modulo the number of keys, as zero-padded ASCII (so keys sort in number order)
     */
    byte[] key(long n) {
        return String.format("k%08d", n % keys).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        db.close();
        options.close();
        Scratch.delete(dir);
    }
}
