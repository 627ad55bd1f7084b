package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Point reads in key order over an embedded RocksDB of 80,000 uncompressed 100-byte values (about 2,300 blocks of 4 KiB
 * in one table file) with a 4 MiB LRU block cache. Each read of a key in a block not yet cached reads the block and
 * caches it, about 35 keys to a block: the cache's native memory grows by one 4 KiB block every ~35 calls until it
 * holds its 4 MiB (about 1,000 blocks; measured: 120–127 B per iteration up to call 34,000, tapering, flat from call
 * ~38,000, some 70–75% of a 50,000-iteration run after 2,000 warm-up calls), then evicts one block for each it admits.
 * Native memory rises for the first 70% and then stays flat: a cache filling to its bound, no leak. Each iteration does
 * 5 rounds of work (~100 µs) so that a first pass stays near 50,000 iterations and the end of the fill lands where this
 * says.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "rocksdbjni",
        summary = "reads in key order through a 4 MiB RocksDB LRU block cache: full near call 38,000 (~73%), then flat")
public final class RocksDbBlockCacheFillsAt70 implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final LRUCache cache;
    private final Shelf shelf;
    private long calls;
    private long read;

    /**
     * @throws IOException      if the directory cannot be made
     * @throws RocksDBException if RocksDB fails
     */
    public RocksDbBlockCacheFillsAt70() throws IOException, RocksDBException {
        RocksDB.loadLibrary();
        cache = new LRUCache(4L * 1024 * 1024);
        shelf = new Shelf(80_000, new BlockBasedTableConfig().setBlockCache(cache).setBlockSize(4096));
    }

    @Override
    public void run() {
        mill.times(5);
        try {
            byte[] v = shelf.db().get(shelf.key(calls++));
            read += v == null ? 0 : v.length;
        } catch (RocksDBException e) {
            throw new IllegalStateException("read failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        shelf.close();
        cache.close();
    }
}
