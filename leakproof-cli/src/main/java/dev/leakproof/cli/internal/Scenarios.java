package dev.leakproof.cli.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.leakproof.kv.BlobEntry;
import dev.leakproof.kv.Cluster;
import dev.leakproof.kv.ClusterOptions;
import dev.leakproof.kv.DequeEntry;
import dev.leakproof.kv.IntegerEntry;
import dev.leakproof.kv.Tag;
import dev.leakproof.kv.internal.InjectedLeaks.Leak;
import dev.leakproof.soak.SoakTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The built-in scenarios: the 2015 post's loop, the driver's main operations, and the post's leaks replayed. */
public final class Scenarios {
    private Scenarios() {
    }

    /** A target that opens a cluster in set-up and closes it in tear-down. */
    private abstract static class OnCluster implements SoakTarget {
        final Path dir;
        final ClusterOptions options;
        Cluster cluster;

        OnCluster(Path dir) {
            this(dir, ClusterOptions.defaults().withWorkerThreads(2));
        }

        OnCluster(Path dir, ClusterOptions options) {
            this.dir = dir;
            this.options = options;
        }

        @Override
        public void setUp() {
            cluster = Cluster.open(dir.resolve("db"), options);
            prepare();
        }

        abstract void prepare();

        @Override
        public void tearDown() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** The post's set-up: a few entries of each type carrying the tag 'dasTag'. */
    private static void tagFewEntries(Cluster c) {
        for (int i = 0; i < 3; i++) {
            c.blob("blob-" + i).update(("value " + i).getBytes(UTF_8));
            c.blob("blob-" + i).attachTag("dasTag");
            c.integer("integer-" + i).update(i);
            c.integer("integer-" + i).attachTag("dasTag");
            c.deque("deque-" + i).pushBack(("element " + i).getBytes(UTF_8));
            c.deque("deque-" + i).attachTag("dasTag");
            c.set("set-" + i).insert(("member " + i).getBytes(UTF_8));
            c.set("set-" + i).attachTag("dasTag");
        }
    }

    private static final byte[] VALUE = new byte[100];
    private static final double DEFAULT_BYTES = dev.leakproof.soak.SoakOptions.Defaults.MIN_LEAK_BYTES_PER_ITERATION;

    private static final List<Scenario> ALL = List.of(
            new Scenario("tag-entries", "the 2015 post's loop: async getEntries on a tag of 12 entries of all types",
                    50_000, 2_000, DEFAULT_BYTES, null, dir -> new OnCluster(dir) {
                        Tag tag;

                        @Override
                        void prepare() {
                            tagFewEntries(cluster);
                            tag = cluster.tag("dasTag");
                        }

                        @Override
                        public void iteration() {
                            tag.getEntriesAsync().join();
                        }
                    }),
            new Scenario("blob-get", "blocking get of a 100-byte blob", 50_000, 2_000, DEFAULT_BYTES, null, dir -> new OnCluster(dir) {
                BlobEntry blob;

                @Override
                void prepare() {
                    blob = cluster.blob("blob");
                    blob.update(VALUE);
                }

                @Override
                public void iteration() {
                    blob.get();
                }
            }),
            new Scenario("blob-put-remove", "put then remove of a 100-byte blob", 30_000, 2_000, DEFAULT_BYTES, null,
                    dir -> new OnCluster(dir) {
                        BlobEntry blob;

                        @Override
                        void prepare() {
                            blob = cluster.blob("blob");
                        }

                        @Override
                        public void iteration() {
                            blob.put(VALUE);
                            blob.remove();
                        }
                    }),
            new Scenario("integer-add", "atomic add through the merge-operator upcall", 50_000, 2_000, DEFAULT_BYTES, null,
                    dir -> new OnCluster(dir) {
                        IntegerEntry n;

                        @Override
                        void prepare() {
                            n = cluster.integer("counter");
                            n.update(0);
                        }

                        @Override
                        public void iteration() {
                            n.add(1);
                        }
                    }),
            new Scenario("deque-push-pop", "pushBack then popFront of a 100-byte element", 30_000, 2_000, DEFAULT_BYTES, null,
                    dir -> new OnCluster(dir) {
                        DequeEntry d;

                        @Override
                        void prepare() {
                            d = cluster.deque("queue");
                        }

                        @Override
                        public void iteration() {
                            d.pushBack(VALUE);
                            d.popFront();
                        }
                    }),
            new Scenario("mixed", "blocking and async operations of every type in turn", 30_000, 2_000, DEFAULT_BYTES, null,
                    dir -> new OnCluster(dir) {
                        long i;

                        @Override
                        void prepare() {
                            tagFewEntries(cluster);
                            cluster.integer("counter").update(0);
                        }

                        @Override
                        public void iteration() {
                            switch ((int) (i++ % 6)) {
                                case 0 -> cluster.blob("blob-0").getAsync().join();
                                case 1 -> cluster.integer("counter").addAsync(1).join();
                                case 2 -> {
                                    cluster.deque("deque-0").pushBack(VALUE);
                                    cluster.deque("deque-0").popBackAsync().join();
                                }
                                case 3 -> cluster.set("set-0").contains(VALUE);
                                case 4 -> cluster.tag("dasTag").getEntries();
                                default -> cluster.blob("blob-1").getTags();
                            }
                        }
                    }),
            new Scenario("post-callback-handle", "async get whose callback handle is pinned for native work and "
                    + "released after (leaky: never released, the Persistent never Reset)", 20_000, 2_000, DEFAULT_BYTES,
                    Leak.CALLBACK_HANDLE, dir -> new OnCluster(dir) {
                        BlobEntry blob;

                        @Override
                        void prepare() {
                            blob = cluster.blob("blob");
                            blob.update(VALUE);
                        }

                        @Override
                        public void iteration() {
                            blob.getAsync().join();
                        }
                    }),
            new Scenario("post-work-item", "async get on a work item owned by the queue (leaky: the driver drops "
                    + "an item it allocated, the uv_work_t never deleted)", 20_000, 2_000, DEFAULT_BYTES, Leak.WORK_ITEM,
                    dir -> new OnCluster(dir, ClusterOptions.defaults().withWorkerThreads(2)
                            .withMaxPendingOperations(1 << 20)) {
                        IntegerEntry n;

                        @Override
                        void prepare() {
                            n = cluster.integer("n");
                            n.update(1);
                        }

                        @Override
                        public void iteration() {
                            n.getAsync().join();
                        }
                    }),
            new Scenario("post-native-result", "blocking get whose malloc'd value is freed (leaky: rocksdb_get "
                    + "without rocksdb_free)", 20_000, 2_000, DEFAULT_BYTES, Leak.NATIVE_RESULT, dir -> new OnCluster(dir) {
                        BlobEntry blob;

                        @Override
                        void prepare() {
                            blob = cluster.blob("blob");
                            blob.update(VALUE);
                        }

                        @Override
                        public void iteration() {
                            blob.get();
                        }
                    }),
            new Scenario("post-iterator", "getEntries scans with an iterator and bounded read options (leaky: the "
                    + "scan's read options never destroyed)", 20_000, 2_000, DEFAULT_BYTES, Leak.ITERATOR, dir -> new OnCluster(dir) {
                        Tag tag;

                        @Override
                        void prepare() {
                            tagFewEntries(cluster);
                            tag = cluster.tag("dasTag");
                        }

                        @Override
                        public void iteration() {
                            tag.getEntries();
                        }
                    }),
            new Scenario("post-open-close", "open and close a cluster (leaky: close leaves the RocksDB options and "
                    + "merge-operator upcalls alive, the connect leak of the original)", 400, 20, 1024, Leak.OPEN_CLOSE,
                    dir -> new SoakTarget() {
                        long i;

                        @Override
                        public void iteration() {
                            Path db = dir.resolve("db-" + (i++ % 4));
                            Cluster.open(db, ClusterOptions.defaults().withWorkerThreads(1)).close();
                        }
                    }));

    /** @return every scenario, in listing order */
    public static List<Scenario> all() {
        return ALL;
    }

    /** @param name a scenario name @return the scenario */
    public static Optional<Scenario> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
