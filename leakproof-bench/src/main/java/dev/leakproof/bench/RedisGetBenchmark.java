package dev.leakproof.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.leakproof.kv.BlobEntry;
import dev.leakproof.kv.Cluster;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.HostAndPort;

/**
 * A GET of a 100-byte value from the local Redis Cluster ({@code scripts/redis-cluster.sh start}), side by side:
 * leakproof-kv's Redis backend ({@code blob.get()}: one {@code HMGET} of the entry hash, type check, through
 * hiredis 0.14 and its own slot routing), Jedis 8's {@code RedisClusterClient.get} and Lettuce 7's cluster
 * client (sync and async). One key, so one master serves every read, as redis-benchmark's {@code -c 1} does.
 * Three loads: one thread blocking, four threads blocking, and 256 async reads in flight (one invocation
 * issues 256 and waits for all; Jedis has no async API). Each benchmark runs in its own fork.
 *
 * <p>Run: {@code scripts/redis-cluster.sh start && leakproof-bench/run RedisGetBenchmark}; the seeds come from
 * {@code -Dleakproof.redis=redis://host:port,...} (default the local cluster's 7101-7103). Compare with
 * {@code redis-benchmark -p <the key's master> -t get -d 100 -c 1 -n 200000 -r 1} run in the same session.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dleakproof.tracking=sampled"})
public class RedisGetBenchmark {
    static final String SEEDS = System.getProperty("leakproof.redis",
            "redis://127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103");
    static final int IN_FLIGHT = 256;
    static final byte[] VALUE = new byte[100];

    static List<HostAndPort> seeds() {
        List<HostAndPort> out = new ArrayList<>();
        for (String s : URI.create(SEEDS).getRawAuthority().split(",")) {
            int colon = s.lastIndexOf(':');
            out.add(new HostAndPort(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
        }
        return out;
    }

    @State(Scope.Benchmark)
    public static class Leakproof {
        Cluster cluster;
        BlobEntry blob;

        @Setup(Level.Trial)
        public void open() {
            cluster = Cluster.open(URI.create(SEEDS));
            blob = cluster.blob("bench-leakproof");
            blob.update(VALUE);
        }

        @TearDown(Level.Trial)
        public void close() {
            cluster.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Jedis {
        redis.clients.jedis.RedisClusterClient client;
        final byte[] key = "bench-jedis".getBytes(StandardCharsets.UTF_8);

        @Setup(Level.Trial)
        public void open() {
            Set<HostAndPort> nodes = new LinkedHashSet<>(seeds());
            client = redis.clients.jedis.RedisClusterClient.create(nodes);
            client.set(key, VALUE);
        }

        @TearDown(Level.Trial)
        public void close() {
            client.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Lettuce {
        io.lettuce.core.cluster.RedisClusterClient client;
        StatefulRedisClusterConnection<byte[], byte[]> connection;
        RedisAdvancedClusterCommands<byte[], byte[]> sync;
        RedisAdvancedClusterAsyncCommands<byte[], byte[]> async;
        final byte[] key = "bench-lettuce".getBytes(StandardCharsets.UTF_8);

        @Setup(Level.Trial)
        public void open() {
            List<RedisURI> uris = new ArrayList<>();
            for (HostAndPort h : seeds()) {
                uris.add(RedisURI.create(h.getHost(), h.getPort()));
            }
            client = io.lettuce.core.cluster.RedisClusterClient.create(uris);
            connection = client.connect(ByteArrayCodec.INSTANCE);
            sync = connection.sync();
            async = connection.async();
            sync.set(key, VALUE);
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    /**
     * hiredis 0.14 through bare FFM downcalls, no driver: one {@code redisContext} connected to the key's master
     * (found by following {@code MOVED}), {@code redisCommandArgv} with the arguments already in native memory,
     * the value copied into a Java array, {@code freeReplyObject}. {@link #hiredisGet} sends redis-benchmark's plain
     * {@code GET}; {@link #hiredisHmget} the {@code HMGET} of a two-field hash that leakproof-kv's get sends. The
     * floor of any FFM driver over hiredis, and what the data model's command costs beside a plain GET.
     */
    @State(Scope.Thread)
    @SuppressWarnings("restricted")
    public static class Bare {
        static final Linker LINKER = Linker.nativeLinker();
        final Arena arena = Arena.ofShared();
        MethodHandle command;
        MethodHandle freeReply;
        MethodHandle redisFree;
        MemorySegment context;
        MemorySegment getArgv;
        MemorySegment getLens;
        MemorySegment hmgetArgv;
        MemorySegment hmgetLens;

        @Setup(Level.Trial)
        public void open() throws Throwable {
            SymbolLookup lib = SymbolLookup.libraryLookup("libhiredis.so.0.14", arena);
            MethodHandle connect = LINKER.downcallHandle(lib.find("redisConnect").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
            command = LINKER.downcallHandle(lib.find("redisCommandArgv").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
            freeReply = LINKER.downcallHandle(lib.find("freeReplyObject").orElseThrow(),
                    FunctionDescriptor.ofVoid(ADDRESS));
            redisFree = LINKER.downcallHandle(lib.find("redisFree").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
            HostAndPort node = seeds().getFirst();
            byte[][] set = {b("SET"), b("bench-bare"), VALUE};
            byte[][] hset = {b("HSET"), b("{bench-bare}:e"), b("t"), b("0"), b("v"), VALUE};
            for (int hop = 0; ; hop++) {
                context = (MemorySegment) connect.invokeExact(arena.allocateFrom(node.getHost()), node.getPort());
                if (context.address() == 0 || context.reinterpret(4).get(JAVA_INT, 0) != 0) {
                    throw new IllegalStateException("cannot connect to " + node);
                }
                String moved = call(set);
                if (moved == null) {
                    break;
                }
                redisFree.invokeExact(context);
                String[] parts = moved.split(" ")[2].split(":");
                node = new HostAndPort(parts[0], Integer.parseInt(parts[1]));
                if (hop > 3) {
                    throw new IllegalStateException("redirected too often: " + moved);
                }
            }
            if (call(hset) != null) {
                throw new IllegalStateException("{bench-bare}:e is not on the master of bench-bare");
            }
            getArgv = argv(new byte[][] {b("GET"), b("bench-bare")});
            getLens = lens(new byte[][] {b("GET"), b("bench-bare")});
            byte[][] hmget = {b("HMGET"), b("{bench-bare}:e"), b("t"), b("v")};
            hmgetArgv = argv(hmget);
            hmgetLens = lens(hmget);
        }

        /** @return the error reply's text (a MOVED), or null */
        private String call(byte[][] args) throws Throwable {
            MemorySegment reply = ((MemorySegment) command.invokeExact(context, args.length, argv(args), lens(args)))
                    .reinterpret(48);
            try {
                return reply.get(JAVA_INT, 0) == 6 // REDIS_REPLY_ERROR
                        ? reply.get(ADDRESS, 24).reinterpret(reply.get(JAVA_LONG, 16)).getString(0) : null;
            } finally {
                freeReply.invokeExact(reply);
            }
        }

        private MemorySegment argv(byte[][] args) {
            MemorySegment argv = arena.allocate(ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(JAVA_BYTE, args[i]));
            }
            return argv;
        }

        private MemorySegment lens(byte[][] args) {
            MemorySegment lens = arena.allocate(JAVA_LONG, args.length);
            for (int i = 0; i < args.length; i++) {
                lens.setAtIndex(JAVA_LONG, i, args[i].length);
            }
            return lens;
        }

        /** @return the bulk string of a reply (the element at {@code index} of an array reply if index >= 0) */
        byte[] value(MemorySegment argv, MemorySegment lens, int argc, int index) throws Throwable {
            MemorySegment reply = ((MemorySegment) command.invokeExact(context, argc, argv, lens)).reinterpret(48);
            try {
                MemorySegment str = reply;
                if (index >= 0) {
                    str = reply.get(ADDRESS, 40).reinterpret(8L * (index + 1)).getAtIndex(ADDRESS, index)
                            .reinterpret(48);
                }
                return str.get(ADDRESS, 24).reinterpret(str.get(JAVA_LONG, 16)).toArray(JAVA_BYTE);
            } finally {
                freeReply.invokeExact(reply);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Throwable {
            redisFree.invokeExact(context);
            arena.close();
        }

        private static byte[] b(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    // ---- one thread, blocking

    @Benchmark
    public byte[] hiredisGet(Bare s) throws Throwable {
        return s.value(s.getArgv, s.getLens, 2, -1);
    }

    @Benchmark
    public byte[] hiredisHmget(Bare s) throws Throwable {
        return s.value(s.hmgetArgv, s.hmgetLens, 4, 1);
    }

    @Benchmark
    public byte[] leakproofGet(Leakproof s) {
        return s.blob.get();
    }

    @Benchmark
    public byte[] jedisGet(Jedis s) {
        return s.client.get(s.key);
    }

    @Benchmark
    public byte[] lettuceSyncGet(Lettuce s) {
        return s.sync.get(s.key);
    }

    // ---- four threads, blocking

    @Benchmark
    @Threads(4)
    public byte[] leakproofGet4Threads(Leakproof s) {
        return s.blob.get();
    }

    @Benchmark
    @Threads(4)
    public byte[] jedisGet4Threads(Jedis s) {
        return s.client.get(s.key);
    }

    @Benchmark
    @Threads(4)
    public byte[] lettuceSyncGet4Threads(Lettuce s) {
        return s.sync.get(s.key);
    }

    // ---- 256 async reads in flight

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public int leakproofAsync256(Leakproof s) {
        @SuppressWarnings("unchecked")
        CompletableFuture<byte[]>[] futures = new CompletableFuture[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            futures[i] = s.blob.getAsync();
        }
        int bytes = 0;
        for (CompletableFuture<byte[]> f : futures) {
            bytes += f.join().length;
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public int lettuceAsync256(Lettuce s) throws Exception {
        List<RedisFuture<byte[]>> futures = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            futures.add(s.async.get(s.key));
        }
        int bytes = 0;
        for (RedisFuture<byte[]> f : futures) {
            bytes += f.get().length;
        }
        return bytes;
    }
}
