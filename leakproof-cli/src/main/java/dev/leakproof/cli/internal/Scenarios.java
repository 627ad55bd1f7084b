package dev.leakproof.cli.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.leakproof.kv.AliasPage;
import dev.leakproof.kv.BlobEntry;
import dev.leakproof.kv.Cluster;
import dev.leakproof.kv.ClusterOptions;
import dev.leakproof.kv.IntegerEntry;
import dev.leakproof.kv.Tag;
import dev.leakproof.kv.internal.InjectedLeaks.Leak;
import dev.leakproof.soak.SoakTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/** The built-in scenarios: the 2015 post's loop, the driver's main operations, and the post's leaks replayed. */
public final class Scenarios {
    private Scenarios() {
    }

    /** One iteration on the state a scenario prepared. */
    @FunctionalInterface
    private interface Step<T> {
        void run(T state);
    }

    /**
     * A target that opens a cluster in set-up (in the scenario's directory, or on the Redis Cluster given),
     * prepares its state, runs {@code step} on it each iteration, and closes the cluster in tear-down. A Redis
     * Cluster outlives the run, so there every alias and tag of the run starts with a prefix of its own, and
     * tear-down removes the run's entries.
     */
    private static <T> Scenario.Factory on(ClusterOptions options, BiFunction<Cluster, String, T> prepare, Step<T> step) {
        return (dir, uri) -> new SoakTarget() {
            Cluster cluster;
            String prefix;
            T state;

            @Override
            public void setUp() {
                cluster = uri == null ? Cluster.open(dir.resolve("db"), options) : Cluster.open(uri, options);
                prefix = uri == null ? "" : "soak-" + UUID.randomUUID() + "/";
                state = prepare.apply(cluster, prefix);
            }

            @Override
            public void iteration() {
                step.run(state);
            }

            @Override
            public void tearDown() {
                if (cluster == null) {
                    return;
                }
                try {
                    if (uri != null) {
                        removeAll(cluster, prefix);
                    }
                } finally {
                    cluster.close();
                }
            }
        };
    }

    /** Removes every entry whose alias starts with {@code prefix}, one alias at a time. */
    private static void removeAll(Cluster c, String prefix) {
        for (AliasPage page = c.listAliases(prefix, 1000); ; page = c.listAliases(prefix, page.next().get(), 1000)) {
            for (String alias : page.aliases()) {
                c.batch().remove(alias).commit();
            }
            if (page.next().isEmpty()) {
                return;
            }
        }
    }

    /** Scenarios that replay a leak of RocksDB-only code: they have no Redis Cluster variant. */
    private static final Set<String> EMBEDDED_ONLY = Set.of("post-work-item", "post-iterator");

    /**
     * @param scenario a scenario
     * @return whether it runs on a Redis Cluster ({@code --cluster}); the post's work-item and iterator leaks are
     *         in code the Redis backend does not run (its async reads are pipelined without a work item; it has no
     *         iterators)
     */
    public static boolean runsOnRedis(Scenario scenario) {
        return !EMBEDDED_ONLY.contains(scenario.name());
    }

    private static final ClusterOptions TWO_WORKERS = ClusterOptions.defaults().withWorkerThreads(2);

    private static BlobEntry blobWithValue(Cluster c, String p) {
        BlobEntry blob = c.blob(p + "blob");
        blob.update(VALUE);
        return blob;
    }

    private static Tag taggedEntries(Cluster c, String p) {
        tagFewEntries(c, p);
        return c.tag(p + "dasTag");
    }

    /** The post's set-up: a few entries of each type carrying the tag 'dasTag'. */
    private static void tagFewEntries(Cluster c, String p) {
        String tag = p + "dasTag";
        for (int i = 0; i < 3; i++) {
            c.blob(p + "blob-" + i).update(("value " + i).getBytes(UTF_8));
            c.blob(p + "blob-" + i).attachTag(tag);
            c.integer(p + "integer-" + i).update(i);
            c.integer(p + "integer-" + i).attachTag(tag);
            c.deque(p + "deque-" + i).pushBack(("element " + i).getBytes(UTF_8));
            c.deque(p + "deque-" + i).attachTag(tag);
            c.set(p + "set-" + i).insert(("member " + i).getBytes(UTF_8));
            c.set(p + "set-" + i).attachTag(tag);
        }
    }

    private static final byte[] VALUE = new byte[100];
    private static final double DEFAULT_BYTES = dev.leakproof.soak.SoakOptions.Defaults.MIN_LEAK_BYTES_PER_ITERATION;

    private static final List<Scenario> ALL = List.of(
            new Scenario("tag-entries", "the 2015 post's loop: async getEntries on a tag of 12 entries of all types",
                    50_000, 2_000, DEFAULT_BYTES, null,
                    on(TWO_WORKERS, Scenarios::taggedEntries, tag -> tag.getEntriesAsync().join())),
            new Scenario("blob-get", "blocking get of a 100-byte blob", 50_000, 2_000, DEFAULT_BYTES, null,
                    on(TWO_WORKERS, Scenarios::blobWithValue, BlobEntry::get)),
            new Scenario("blob-put-remove", "put then remove of a 100-byte blob", 30_000, 2_000, DEFAULT_BYTES, null,
                    on(TWO_WORKERS, (c, p) -> c.blob(p + "blob"), blob -> {
                        blob.put(VALUE);
                        blob.remove();
                    })),
            new Scenario("integer-add", "atomic add (read under the lock, sum written)", 50_000, 2_000, DEFAULT_BYTES,
                    null, on(TWO_WORKERS, (c, p) -> {
                        IntegerEntry n = c.integer(p + "counter");
                        n.update(0);
                        return n;
                    }, n -> n.add(1))),
            new Scenario("deque-push-pop", "pushBack then popFront of a 100-byte element", 30_000, 2_000,
                    DEFAULT_BYTES, null, on(TWO_WORKERS, (c, p) -> c.deque(p + "queue"), d -> {
                        d.pushBack(VALUE);
                        d.popFront();
                    })),
            new Scenario("mixed", "blocking and async operations of every type in turn", 30_000, 2_000, DEFAULT_BYTES,
                    null, on(TWO_WORKERS, (c, p) -> {
                        tagFewEntries(c, p);
                        c.integer(p + "counter").update(0);
                        return new Mixed(c, p);
                    }, Mixed::step)),
            new Scenario("post-callback-handle", "async get whose callback handle is pinned for native work and "
                    + "released after (leaky: never released, the Persistent never Reset)", 20_000, 2_000,
                    DEFAULT_BYTES, Leak.CALLBACK_HANDLE,
                    on(TWO_WORKERS, Scenarios::blobWithValue, blob -> blob.getAsync().join())),
            new Scenario("post-work-item", "async get on a work item owned by the queue (leaky: the driver drops "
                    + "an item it allocated, the uv_work_t never deleted)", 20_000, 2_000, DEFAULT_BYTES,
                    Leak.WORK_ITEM, on(TWO_WORKERS.withMaxPendingOperations(1 << 20), (c, p) -> {
                        IntegerEntry n = c.integer(p + "n");
                        n.update(1);
                        return n;
                    }, n -> n.getAsync().join())),
            new Scenario("post-native-result", "blocking get whose malloc'd value is freed (leaky: rocksdb_get "
                    + "without rocksdb_free)", 20_000, 2_000, DEFAULT_BYTES, Leak.NATIVE_RESULT,
                    on(TWO_WORKERS, Scenarios::blobWithValue, BlobEntry::get)),
            new Scenario("post-iterator", "getEntries scans with an iterator and bounded read options (leaky: the "
                    + "scan's read options never destroyed)", 20_000, 2_000, DEFAULT_BYTES, Leak.ITERATOR,
                    on(TWO_WORKERS, Scenarios::taggedEntries, Tag::getEntries)),
            new Scenario("post-open-close", "open and close a cluster (leaky: close leaves the RocksDB options alive, "
                    + "the connect leak of the original; on Redis, the hiredis contexts)", 600, 20, 1024, Leak.OPEN_CLOSE,
                    (dir, uri) -> new SoakTarget() {
                        long i;

                        @Override
                        public void iteration() {
                            ClusterOptions one = ClusterOptions.defaults().withWorkerThreads(1);
                            Path db = dir.resolve("db-" + (i++ % 4));
                            (uri == null ? Cluster.open(db, one) : Cluster.open(uri, one)).close();
                        }
                    }));

    /** The mixed scenario's state: the cluster and which operation comes next. */
    private static final class Mixed {
        final Cluster cluster;
        final String prefix;
        long next;

        Mixed(Cluster cluster, String prefix) {
            this.cluster = cluster;
            this.prefix = prefix;
        }

        void step() {
            mixedStep(cluster, prefix, next++);
        }
    }

    private static void mixedStep(Cluster c, String p, long i) {
        switch ((int) (i % 6)) {
            case 0 -> c.blob(p + "blob-0").getAsync().join();
            case 1 -> c.integer(p + "counter").addAsync(1).join();
            case 2 -> {
                c.deque(p + "deque-0").pushBack(VALUE);
                c.deque(p + "deque-0").popBackAsync().join();
            }
            case 3 -> c.set(p + "set-0").contains(VALUE);
            case 4 -> c.tag(p + "dasTag").getEntries();
            default -> c.blob(p + "blob-1").getTags();
        }
    }

    /** @return every scenario, in listing order */
    public static List<Scenario> all() {
        return ALL;
    }

    /** @param name a scenario name @return the scenario */
    public static Optional<Scenario> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
