package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test of the two backends: the same random sequence of operations (every entry type, tags across
 * slots, batches, listings, blocking and async forms) runs on an embedded RocksDB and on the local Redis
 * Cluster, and after every step both must have answered the same value or failed with the same error code.
 * The documented differences are kept out of the sequence (expiry, add overflow) or asserted as such (a batch
 * over two hash tags: RocksDB commits it, Redis refuses it with {@link CrossSlotException}, and the test then
 * applies nothing on either side).
 */
@ExtendWith(LocalRedisCluster.class)
class BackendEquivalenceTest {
    @TempDir
    Path dir;
    Cluster rocks;
    Cluster redis;
    String ns;
    List<String> aliases;
    List<String> tags;

    @BeforeEach
    void open() {
        rocks = Cluster.open(dir.resolve("db"), ClusterOptions.defaults().withWorkerThreads(2));
        redis = Cluster.open(LocalRedisCluster.uri(""), ClusterOptions.defaults().withWorkerThreads(2));
        ns = UUID.randomUUID() + "/";
        aliases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // two groups, each sharing a Redis hash tag: batches within a group are atomic on both backends
            aliases.add(ns + "{g1}a" + i);
            aliases.add(ns + "{g2}b" + i);
        }
        tags = List.of(ns + "t0", ns + "t1", ns + "t2");
    }

    @AfterEach
    void close() {
        rocks.close();
        redis.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void bothBackendsGiveTheSameAnswersAndErrors(long seed) {
        Random random = new Random(seed);
        for (int step = 0; step < 600; step++) {
            int op = random.nextInt(34);
            String alias = aliases.get(random.nextInt(aliases.size()));
            String tag = tags.get(random.nextInt(tags.size()));
            byte[] value = ("v" + random.nextInt(4)).getBytes(UTF_8);
            long n = random.nextInt(7) - 3;
            int index = random.nextInt(4);
            String other = aliases.get(random.nextInt(aliases.size()));
            // the type the alias holds before the step (both backends hold the same: the test checks it)
            EntryType current = rocks.type(alias).orElse(EntryType.BLOB);
            Function<Cluster, Object> action = switch (op) {
                case 0 -> c -> run(() -> c.blob(alias).put(value));
                case 1 -> c -> run(() -> c.blob(alias).update(value));
                case 2 -> c -> c.blob(alias).get();
                case 3 -> c -> c.blob(alias).getAsync().join();
                case 4 -> c -> run(() -> c.blob(alias).putAsync(value).join());
                case 5 -> c -> c.blob(alias).compareAndSwap(value, "swapped".getBytes(UTF_8));
                case 6 -> c -> run(() -> c.integer(alias).put(n));
                case 7 -> c -> run(() -> c.integer(alias).update(n));
                case 8 -> c -> c.integer(alias).get();
                case 9 -> c -> c.integer(alias).add(n);
                case 10 -> c -> c.integer(alias).addAsync(n).join();
                case 11 -> c -> c.integer(alias).compareAndSwap(n, n * 10);
                case 12 -> c -> c.integer(alias).getAndUpdate(v -> v + 100);
                case 13 -> c -> run(() -> c.deque(alias).pushBack(value));
                case 14 -> c -> run(() -> c.deque(alias).pushFrontAsync(value).join());
                case 15 -> c -> c.deque(alias).popFront();
                case 16 -> c -> c.deque(alias).popBackAsync().join();
                case 17 -> c -> List.of(c.deque(alias).front(), c.deque(alias).back(), c.deque(alias).size());
                case 18 -> c -> c.deque(alias).getAt(index);
                case 19 -> c -> run(() -> c.deque(alias).setAt(index, value));
                case 20 -> c -> c.deque(alias).elements();
                case 21 -> c -> run(() -> c.set(alias).insert(value));
                case 22 -> c -> run(() -> c.set(alias).erase(value));
                case 23 -> c -> List.of(c.set(alias).containsAsync(value).join(), c.set(alias).size(),
                        c.set(alias).members());
                case 24 -> c -> run(() -> entry(c, alias, current).attachTag(tag));
                case 25 -> c -> run(() -> entry(c, alias, current).detachTag(tag));
                case 26 -> c -> List.of(entry(c, alias, current).hasTag(tag), entry(c, alias, current).getTags());
                case 27 -> c -> c.tag(tag).getEntries();
                case 28 -> c -> List.of(c.exists(alias), c.type(alias), c.typeAsync(other).join());
                case 29 -> c -> c.multiGet(aliases);
                case 30 -> c -> run(() -> entry(c, alias, current).remove());
                case 31 -> c -> listAll(c);
                case 32 -> c -> run(() -> c.batch().putBlob(alias, value).add(sameGroup(alias, index), n)
                        .pushBack(sameGroup(alias, index + 1), value).commit());
                default -> c -> run(() -> c.batch().remove(alias).insert(sameGroup(alias, index), value).commit());
            };
            String onRocks = outcome(rocks, action);
            String onRedis = outcome(redis, action);
            assertEquals(onRocks, onRedis, "step " + step + ", operation " + op + " on " + alias);
        }
        // a batch over both groups: the one documented difference of batches
        String a = aliases.get(0);
        String b = aliases.get(1);
        assertEquals("error 107", outcome(redis, c -> run(() -> c.batch().remove(a).remove(b).commit())));
    }

    /** @return an alias of the same hash-tag group as {@code alias} */
    private String sameGroup(String alias, int index) {
        int group = alias.contains("{g1}") ? 0 : 1;
        return aliases.get(((index % 4) * 2) + group);
    }

    /** The alias's entry of the given type. */
    private static Entry entry(Cluster c, String alias, EntryType type) {
        return switch (type) {
            case BLOB -> c.blob(alias);
            case INTEGER -> c.integer(alias);
            case DEQUE -> c.deque(alias);
            case SET -> c.set(alias);
        };
    }

    private List<String> listAll(Cluster c) {
        List<String> all = new ArrayList<>();
        AliasPage page = c.listAliases(ns, 3);
        while (true) {
            all.addAll(page.aliases());
            if (page.next().isEmpty()) {
                return all;
            }
            page = c.listAliases(ns, page.next().get(), 3);
        }
    }

    private static Object run(Runnable r) {
        r.run();
        return "done";
    }

    private static String outcome(Cluster c, Function<Cluster, Object> action) {
        try {
            return "value " + render(action.apply(c));
        } catch (CompletionException e) {
            return e.getCause() instanceof KvException k ? "error " + k.code() : "unexpected " + e.getCause();
        } catch (KvException e) {
            return "error " + e.code();
        }
    }

    private static String render(Object o) {
        if (o instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (o instanceof List<?> l) {
            return l.stream().map(BackendEquivalenceTest::render).toList().toString();
        }
        if (o instanceof Map<?, ?> m) {
            List<String> entries = new ArrayList<>();
            m.forEach((k, v) -> entries.add(k + "=" + render(v)));
            return entries.toString();
        }
        if (o instanceof Optional<?> opt) {
            return opt.map(BackendEquivalenceTest::render).orElse("empty");
        }
        return String.valueOf(o);
    }
}
