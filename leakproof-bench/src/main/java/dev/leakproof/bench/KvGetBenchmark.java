package dev.leakproof.bench;

import dev.leakproof.kv.BlobEntry;
import dev.leakproof.kv.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A 100-byte value read by a 16-byte key from the memtable: leakproof-kv's blocking {@code blob.get()}
 * (transaction DB, entry header and expiry check, tracked native value) against rocksdbjni's own
 * {@code RocksDB.get(byte[])} on a plain DB, each in its own fork so that only one copy of the native
 * library is loaded per JVM.
 *
 * <p>Run: {@code leakproof-bench/run KvGetBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dleakproof.tracking=sampled"})
public class KvGetBenchmark {
    static final String KEY = "key-0123456789ab";

    @State(Scope.Benchmark)
    public static class Leakproof {
        Path dir;
        Cluster cluster;
        BlobEntry blob;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("bench-kv");
            cluster = Cluster.open(dir);
            blob = cluster.blob(KEY);
            blob.update(new byte[100]);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            cluster.close();
            delete(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class RocksJni {
        Path dir;
        Options options;
        RocksDB db;
        final byte[] key = KEY.getBytes(StandardCharsets.UTF_8);

        @Setup(Level.Trial)
        public void open() throws IOException, RocksDBException {
            RocksDB.loadLibrary();
            dir = Files.createTempDirectory("bench-jni");
            options = new Options().setCreateIfMissing(true);
            db = RocksDB.open(options, dir.toString());
            db.put(key, new byte[100]);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            db.close();
            options.close();
            delete(dir);
        }
    }

    @Benchmark
    public byte[] leakproofBlobGet(Leakproof s) {
        return s.blob.get();
    }

    @Benchmark
    public byte[] rocksdbjniGet(RocksJni s) throws RocksDBException {
        return s.db.get(s.key);
    }

    static void delete(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
