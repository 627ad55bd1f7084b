package dev.leakproof.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.leakproof.kv.BlobEntry;
import dev.leakproof.kv.Cluster;
import dev.leakproof.kv.ClusterOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * leakproof-kv side by side with RocksDB's C API and rocksdbjni, in one run (issue 12's speed targets): a
 * 100-byte value under a 16-byte key, in the memtable.
 * <ul>
 *   <li>{@code cGet}: {@code rocksdb_get} + {@code free} called from C, 1,000 per downcall (a loop compiled with
 *       the machine's {@code gcc} at setup, handed RocksDB's function pointers): C's own cost per get;
 *   <li>{@code ffmGet}: the same call through one bare FFM downcall per get, slots allocated once: the floor of
 *       any FFM driver;
 *   <li>{@code ffmGetToArray}: the same, the value copied into a new {@code byte[]}: the floor of a driver whose get
 *       returns an array;
 *   <li>{@code ffmPut}: {@code rocksdb_put} through one bare FFM downcall, the value already native: the floor
 *       of any FFM driver's write;
 *   <li>{@code rocksdbjniGet}, {@code rocksdbjniPut}: rocksdbjni on a plain DB, default write options (WAL on,
 *       no sync), as leakproof-kv writes;
 *   <li>{@code leakproofGet}, {@code leakproofGetAsync} ({@code getAsync().join()}), {@code leakproofUpdate}:
 *       leakproof-kv's {@code BlobEntry} at tracking level SAMPLED; the async ones with the default 20 µs
 *       {@code asyncSpin} ({@code spinNanos=20000}) and with none ({@code 0});
 *   <li>{@code leakproofGetAsync64InFlight}, {@code …256InFlight}: that many {@code getAsync()} issued, then
 *       joined: the async form's cost per operation as a user with many operations in flight sees it;
 *   <li>{@code rocksdbjniGetSupplyAsync}: rocksdbjni's get through {@code CompletableFuture.supplyAsync} on a pool
 *       of the same size as leakproof-kv's workers, joined: the async peer;
 *   <li>{@code parkUnparkRoundTrip}, {@code spinRoundTrip}: a bare two-thread ping-pong, parking or spinning:
 *       the floor of two hand-offs between threads on this machine;
 *   <li>{@code …4Threads}: four threads reading at once, as throughput.
 * </ul>
 * Each benchmark runs in its own forks, so one JVM never holds two copies of RocksDB.
 *
 * <p>Run: {@code leakproof-bench/run KvSideBySideBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dleakproof.tracking=sampled"})
@SuppressWarnings("restricted")
public class KvSideBySideBenchmark {
    static final byte[] KEY = "key-0123456789ab".getBytes(StandardCharsets.UTF_8);
    static final byte[] VALUE = new byte[100];
    static final int C_LOOP = 1_000;
    static final int IN_FLIGHT_SMALL = 64;
    static final int IN_FLIGHT_LARGE = 256;

    /** A plain RocksDB opened through the C API, in the library rocksdbjni loaded. */
    @State(Scope.Benchmark)
    public static class C {
        static final Linker LINKER = Linker.nativeLinker();
        Path dir;
        MemorySegment db;
        MemorySegment options;
        MemorySegment readOptions;
        MethodHandle get;
        MethodHandle put;
        MethodHandle free;
        MemorySegment writeOptions;
        MemorySegment value;
        MethodHandle loop;
        MemorySegment getAddress;
        MemorySegment freeAddress;
        MemorySegment key;

        @Setup(Level.Trial)
        public void open() throws Throwable {
            RocksDB.loadLibrary(); // System.load by a class of this class loader: loaderLookup finds its symbols
            SymbolLookup rocks = SymbolLookup.loaderLookup();
            dir = Files.createTempDirectory("bench-c");
            getAddress = rocks.find("rocksdb_get").orElseThrow();
            freeAddress = rocks.find("rocksdb_free").orElseThrow();
            get = LINKER.downcallHandle(getAddress, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
                    ADDRESS, ADDRESS));
            free = LINKER.downcallHandle(freeAddress, FunctionDescriptor.ofVoid(ADDRESS));
            MethodHandle optionsCreate = LINKER.downcallHandle(rocks.find("rocksdb_options_create").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
            MethodHandle createIfMissing = LINKER.downcallHandle(
                    rocks.find("rocksdb_options_set_create_if_missing").orElseThrow(),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_BYTE));
            MethodHandle open = LINKER.downcallHandle(rocks.find("rocksdb_open").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            put = LINKER.downcallHandle(rocks.find("rocksdb_put").orElseThrow(),
                    FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
            options = (MemorySegment) optionsCreate.invokeExact();
            createIfMissing.invokeExact(options, (byte) 1);
            Arena global = Arena.global();
            MemorySegment err = global.allocate(ADDRESS);
            db = (MemorySegment) open.invokeExact(options, global.allocateFrom(dir.toString()), err);
            check(err);
            readOptions = (MemorySegment) LINKER.downcallHandle(rocks.find("rocksdb_readoptions_create").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS)).invokeExact();
            writeOptions = (MemorySegment) LINKER.downcallHandle(
                    rocks.find("rocksdb_writeoptions_create").orElseThrow(), FunctionDescriptor.of(ADDRESS)).invokeExact();
            key = global.allocateFrom(JAVA_BYTE, KEY);
            value = global.allocateFrom(JAVA_BYTE, VALUE);
            put.invokeExact(db, writeOptions, key, (long) KEY.length, value, (long) VALUE.length, err);
            check(err);
            loop = LINKER.downcallHandle(compileLoop(dir).find("rocksdb_get_loop").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
        }

        private static void check(MemorySegment err) {
            MemorySegment msg = err.get(ADDRESS, 0);
            if (msg.address() != 0) {
                throw new IllegalStateException(msg.reinterpret(4096).getString(0));
            }
        }

        /** Compiles the C loop with gcc into {@code dir} and loads it. */
        private static SymbolLookup compileLoop(Path dir) throws IOException, InterruptedException {
            Path source = dir.resolve("rocksdb_get_loop.c");
            try (InputStream in = KvSideBySideBenchmark.class.getResourceAsStream("rocksdb_get_loop.c")) {
                Files.write(source, in.readAllBytes());
            }
            Path lib = dir.resolve("librocksdb_get_loop.so");
            Process gcc = new ProcessBuilder("gcc", "-O2", "-shared", "-fPIC", "-o", lib.toString(), source.toString())
                    .inheritIO().start();
            if (gcc.waitFor() != 0) {
                throw new IllegalStateException("gcc failed to build the C baseline (exit " + gcc.exitValue()
                        + "); cGet needs gcc on the PATH");
            }
            return SymbolLookup.libraryLookup(lib, Arena.global());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            delete(dir);
        }
    }

    /** Per-thread slots for the bare FFM get. */
    @State(Scope.Thread)
    public static class Slots {
        final Arena arena = Arena.ofConfined();
        final MemorySegment len = arena.allocate(JAVA_LONG);
        final MemorySegment err = arena.allocate(ADDRESS);

        @TearDown(Level.Trial)
        public void close() {
            arena.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Leakproof {
        Path dir;
        Cluster cluster;
        BlobEntry blob;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("bench-kv");
            cluster = Cluster.open(dir);
            blob = cluster.blob(new String(KEY, StandardCharsets.UTF_8));
            blob.update(VALUE);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            cluster.close();
            delete(dir);
        }
    }

    /**
     * The cluster for the async benchmarks, with the spin of its workers and of a thread blocked in {@code join}:
     * the default 20 µs, and none (park at once), side by side.
     */
    @State(Scope.Benchmark)
    public static class LeakproofAsync {
        @Param({"20000", "0"})
        public long spinNanos;
        Path dir;
        Cluster cluster;
        BlobEntry blob;
        final CompletableFuture<?>[] futures = new CompletableFuture<?>[IN_FLIGHT_LARGE];

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("bench-kv-async");
            cluster = Cluster.open(dir, ClusterOptions.defaults().withAsyncSpin(java.time.Duration.ofNanos(spinNanos)));
            blob = cluster.blob(new String(KEY, StandardCharsets.UTF_8));
            blob.update(VALUE);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            cluster.close();
            delete(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class Jni {
        Path dir;
        Options options;
        WriteOptions writeOptions;
        RocksDB db;
        ExecutorService executor;
        Supplier<byte[]> getter;

        @Setup(Level.Trial)
        public void open() throws IOException, RocksDBException {
            RocksDB.loadLibrary();
            executor = Executors.newFixedThreadPool(ClusterOptions.Defaults.WORKER_THREADS);
            dir = Files.createTempDirectory("bench-jni");
            options = new Options().setCreateIfMissing(true);
            writeOptions = new WriteOptions();
            db = RocksDB.open(options, dir.toString());
            db.put(KEY, VALUE);
            getter = () -> {
                try {
                    return db.get(KEY);
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            };
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            executor.shutdown();
            db.close();
            writeOptions.close();
            options.close();
            delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(C_LOOP)
    public long cGet(C c) throws Throwable {
        return (long) c.loop.invokeExact(c.db, c.readOptions, c.key, (long) KEY.length, (long) C_LOOP, c.getAddress,
                c.freeAddress);
    }

    @Benchmark
    public long ffmGet(C c, Slots s) throws Throwable {
        MemorySegment v = (MemorySegment) c.get.invokeExact(c.db, c.readOptions, c.key, (long) KEY.length, s.len, s.err);
        long n = s.len.get(JAVA_LONG, 0);
        c.free.invokeExact(v);
        return n;
    }

    /**
     * The bare FFM get that returns what a Java API must: the value copied into a new {@code byte[]} before it is
     * freed. The floor of any FFM driver whose get returns an array (as leakproof-kv's and rocksdbjni's do).
     */
    @Benchmark
    public byte[] ffmGetToArray(C c, Slots s) throws Throwable {
        MemorySegment v = (MemorySegment) c.get.invokeExact(c.db, c.readOptions, c.key, (long) KEY.length, s.len, s.err);
        byte[] out = v.reinterpret(s.len.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
        c.free.invokeExact(v);
        return out;
    }

    @Benchmark
    public byte[] rocksdbjniGet(Jni s) throws RocksDBException {
        return s.db.get(KEY);
    }

    @Benchmark
    public byte[] leakproofGet(Leakproof s) {
        return s.blob.get();
    }

    @Benchmark
    public byte[] leakproofGetAsync(LeakproofAsync s) {
        return s.blob.getAsync().join();
    }

    /** {@value #IN_FLIGHT_SMALL} {@code getAsync()} calls issued, then each joined: ns per get, as throughput. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT_SMALL)
    public long leakproofGetAsync64InFlight(LeakproofAsync s) {
        return inFlight(s.blob, s.futures, IN_FLIGHT_SMALL);
    }

    /** {@value #IN_FLIGHT_LARGE} {@code getAsync()} calls issued, then each joined: ns per get, as throughput. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT_LARGE)
    public long leakproofGetAsync256InFlight(LeakproofAsync s) {
        return inFlight(s.blob, s.futures, IN_FLIGHT_LARGE);
    }

    private static long inFlight(BlobEntry blob, CompletableFuture<?>[] futures, int n) {
        for (int i = 0; i < n; i++) {
            futures[i] = blob.getAsync();
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += ((byte[]) futures[i].join()).length;
            futures[i] = null;
        }
        return bytes;
    }

    /**
     * The async peer a rocksdbjni user would write: {@code CompletableFuture.supplyAsync(() -> db.get(key),
     * executor).join()} on a fixed pool with as many threads as leakproof-kv has workers.
     */
    @Benchmark
    public byte[] rocksdbjniGetSupplyAsync(Jni s) {
        return CompletableFuture.supplyAsync(s.getter, s.executor).join();
    }

    /**
     * The floor of any hand-off that parks: this thread bumps a counter, unparks a partner thread and parks until
     * the partner has answered and unparked it. Two hand-offs per operation, nothing else.
     */
    @Benchmark
    public long parkUnparkRoundTrip(PingPong p) {
        return p.parkRoundTrip();
    }

    /** The same round trip with both threads spinning on the counters ({@code Thread.onSpinWait}), never parking. */
    @Benchmark
    public long spinRoundTrip(PingPong p) {
        return p.spinRoundTrip();
    }

    /**
     * A partner thread for the hand-off baselines: it answers each ping by copying it to pong, by parking and
     * unparking ({@link #parkRoundTrip}) or by spinning ({@link #spinRoundTrip}).
     */
    @State(Scope.Thread)
    public static class PingPong {
        volatile long ping;
        volatile long pong;
        volatile boolean spin;
        volatile boolean stop;
        Thread caller;
        Thread partner;

        @Setup(Level.Trial)
        public void start() {
            caller = Thread.currentThread();
            partner = Thread.ofPlatform().daemon().name("ping-pong-partner").start(this::answer);
        }

        private void answer() {
            while (!stop) {
                long p = ping;
                if (p != pong) {
                    pong = p;
                    if (!spin) {
                        LockSupport.unpark(caller);
                    }
                } else if (spin) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }

        long parkRoundTrip() {
            long p = ping + 1;
            ping = p;
            LockSupport.unpark(partner);
            while (pong != p) {
                LockSupport.park(this);
            }
            return p;
        }

        long spinRoundTrip() {
            spin = true;
            long p = ping + 1;
            ping = p;
            LockSupport.unpark(partner); // only the first time does the partner still sleep
            while (pong != p) {
                Thread.onSpinWait();
            }
            return p;
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            LockSupport.unpark(partner);
            partner.join();
        }
    }

    @Benchmark
    public void rocksdbjniPut(Jni s) throws RocksDBException {
        s.db.put(s.writeOptions, KEY, VALUE);
    }

    /**
     * {@code rocksdb_put} through one bare FFM downcall, key and value already in native memory, default write
     * options (WAL on, no sync): the floor of any FFM driver's write, beside rocksdbjni's {@code put}.
     */
    @Benchmark
    public void ffmPut(C c, Slots s) throws Throwable {
        c.put.invokeExact(c.db, c.writeOptions, c.key, (long) KEY.length, c.value, (long) VALUE.length, s.err);
    }

    @Benchmark
    public void leakproofUpdate(Leakproof s) {
        s.blob.update(VALUE);
    }

    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] rocksdbjniGet4Threads(Jni s) throws RocksDBException {
        return s.db.get(KEY);
    }

    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] leakproofGet4Threads(Leakproof s) {
        return s.blob.get();
    }

    static void delete(Path dir) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
