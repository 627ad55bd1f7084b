package dev.leakproof.kv;

import dev.leakproof.core.Handle;
import dev.leakproof.core.HandleTable;
import dev.leakproof.core.LevelScope;
import dev.leakproof.core.Tracking;
import dev.leakproof.core.WorkQueue;
import dev.leakproof.core.WorkQueueOptions;
import dev.leakproof.kv.internal.InjectedLeaks;
import dev.leakproof.kv.internal.PipelinedBackend;
import dev.leakproof.kv.internal.Backend;
import dev.leakproof.kv.internal.Store;
import dev.leakproof.kv.internal.redis.RedisBackend;
import java.net.URI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * An embedded RocksDB database in a directory, with the 2015 addon's data model: blobs, integers, deques,
 * sets and tags under one keyspace of aliases.
 * {@snippet :
 * try (Cluster cluster = Cluster.open(Path.of("data"))) {
 *     cluster.blob("config").update("{}".getBytes(UTF_8));
 *     cluster.integer("hits").update(0);
 *     long hits = cluster.integer("hits").add(1);
 *     cluster.blob("config").attachTag("settings");
 *     CompletableFuture<List<String>> tagged = cluster.tag("settings").getEntriesAsync();
 * }
 * }
 *
 * <p>RocksDB is called through its C API with {@code java.lang.foreign}; its native library comes from the
 * {@code org.rocksdb:rocksdbjni} jar and is extracted once to a per-user cache. Async operations run as
 * work items of a leakproof-core {@link WorkQueue}; their callbacks are pinned in a {@link HandleTable}
 * until they complete, as the addon pinned its JavaScript callbacks. An async operation always runs on a worker;
 * its future completes on the queue's completion thread, or on a thread blocked in {@code join()}/{@code get()} on
 * it, which takes the completion from the worker (two thread hand-offs instead of three) — never on a worker, so a
 * dependent stage may block or {@link #close()} the cluster (docs/kv.md, "Where the future completes"). Native objects are tracked with
 * leakproof-core, so anything left unreleased shows in {@link Tracking#snapshot()} with its site.
 *
 * <p>The same API runs on a Redis Cluster: {@link #open(URI, ClusterOptions)} with
 * {@code redis://host:port[,host:port...]} stores the same entries there through hiredis 0.14, with the same
 * errors and codes; docs/kv.md lists where its guarantees differ (batches across hash slots, multiGet, expiry
 * clock, add overflow).
 *
 * <p>Limits: aliases and tags are well-formed UTF-16 strings (no lone surrogate) of 1 to {@value #MAX_NAME_BYTES}
 * UTF-8 bytes without NUL; values and elements at most {@value #MAX_VALUE_BYTES} bytes.
 *
 * <p>{@link #close()} waits for operations in flight (up to the operation timeout), fails queued async
 * operations with {@link ClusterClosedException}, releases every native object and closes the database;
 * later operations fail with {@link ClusterClosedException}. A second {@code close()} does nothing.
 */
public final class Cluster implements AutoCloseable {
    /** Longest alias or tag, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1024;
    /** Largest value or element, in bytes (RocksDB handles more; larger values belong in files). */
    public static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger("dev.leakproof.kv");
    /** The callbacks of async operations in flight, pinned for the duration of the native work. */
    private static final HandleTable CALLBACKS = HandleTable.create("kv-callbacks");

    private final Path dir;
    /** The directory, or the Redis Cluster's seeds (without the password): what messages name. */
    private final String name;
    private final ClusterOptions options;
    private final Backend store;
    private final WorkQueue queue;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Operations running, as striped counters of entries ({@link #blockingOps}, {@link #asyncEntered}) and exits, so
     * that threads calling at once do not contend on one cache line (issue 12: four threads reading).
     * {@link #running()} reads exits first, then entries: every exit it sees has its entry visible too, so it
     * never reads zero while an operation that saw the cluster open still runs.
     */
    private final LongAdder exited = new LongAdder();
    /** Blocking calls; each enters once, so entries = blocking calls + async work items run. */
    private final LongAdder blockingOps = new LongAdder();
    private final LongAdder asyncEntered = new LongAdder();
    private final LongAdder asyncOps = new LongAdder();
    private final LongAdder failedOps = new LongAdder();
    /** Async operations a pipelining backend has out at once (the work queue bounds the others). */
    private final java.util.concurrent.Semaphore pipelinedSlots;

    private Cluster(Path dir, URI uri, ClusterOptions options) {
        this.dir = dir;
        this.options = options;
        this.pipelinedSlots = new java.util.concurrent.Semaphore(options.maxPendingOperations());
        try (var _ = levelScope()) {
            if (dir != null) {
                this.name = dir.toString();
                this.store = Store.open(dir, options.syncWrites(), options.operationTimeout().toMillis(),
                        options.clock(), options.rocksDbStatistics());
            } else {
                RedisBackend redis = RedisBackend.open(uri, options.operationTimeout().toMillis(), options.clock());
                this.name = redis.toString();
                this.store = redis;
            }
            this.queue = WorkQueue.create(WorkQueueOptions.named(dir != null ? "kv-" + dir.getFileName() : "kv-redis")
                    .withWorkers(options.workerThreads())
                    .withMaxItems(options.maxPendingOperations())
                    .withWhenExhausted(WorkQueueOptions.WhenExhausted.BLOCK, options.operationTimeout())
                    .withCloseTimeout(options.operationTimeout())
                    .withSpin(options.asyncSpin()));
        }
    }

    /**
     * The cluster's tracking level, opened as a scope around its own work (its open, and each operation in
     * {@link #execute}) instead of set for the process: two clusters with different levels change neither each
     * other's tracking nor their callers'.
     *
     * @return the open scope, or null when the options leave the level around the work alone
     */
    private LevelScope levelScope() {
        return options.trackingLevel() == null ? null : Tracking.levelScope(options.trackingLevel());
    }

    /**
     * Opens (creating if needed) the database in {@code dir} with default options.
     *
     * @param dir the database directory
     * @return the open cluster; close it
     * @throws NullPointerException    if {@code dir} is null
     * @throws DatabaseInUseException if another process (or another open cluster of this one) has it open
     * @throws NativeException        if RocksDB cannot open it (corrupt, not writable)
     */
    public static Cluster open(Path dir) {
        return open(dir, ClusterOptions.defaults());
    }

    /**
     * @param dir     the database directory
     * @param options how to run
     * @return the open cluster; close it
     * @throws NullPointerException    if an argument is null
     * @throws DatabaseInUseException if another process (or another open cluster of this one) has it open
     * @throws NativeException        if RocksDB cannot open it
     * @throws UncheckedIOException    if the directory cannot be created
     */
    public static Cluster open(Path dir, ClusterOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + dir, e);
        }
        return new Cluster(dir, null, options);
    }

    /**
     * Connects to a Redis Cluster with default options (see {@link #open(URI, ClusterOptions)}).
     *
     * @param uri {@code redis://[user:password@]host:port[,host:port...][?option=value&...]}
     * @return the open cluster; close it
     * @throws NullPointerException         if {@code uri} is null
     * @throws IllegalArgumentException     if the URI is malformed, names TLS ({@code rediss://}) or an unknown option
     * @throws KvConnectionException        if no seed node answers
     * @throws ClusterUnavailableException  if the cluster does not serve all 16,384 hash slots
     * @throws NativeException              if hiredis 0.14 ({@code libhiredis.so.0.14}) is not installed
     */
    public static Cluster open(URI uri) {
        return open(uri, ClusterOptions.defaults());
    }

    /**
     * Connects to a Redis Cluster: the same data model and operations as the embedded database, stored in
     * Redis through hiredis. The seeds are any nodes of the cluster; the slot map is read from the first that
     * answers. Options in the URI's query: {@code connectTimeout} (ms, default 1000), {@code commandTimeout}
     * (ms, default 2000; a node that stops answering fails the command after it) and
     * {@code connectionsPerNode} (idle connections kept per node, default 8). A password, and an ACL user, go in
     * the user-info part. TLS ({@code rediss://}) is not supported yet. The operation timeout of
     * {@code options} bounds every operation with its retries (redirects, failover); {@code syncWrites} and
     * {@code rocksDbStatistics} do not apply. Where the guarantees differ from the embedded database is listed
     * in docs/kv.md.
     *
     * @param uri     {@code redis://[user:password@]host:port[,host:port...][?option=value&...]}
     * @param options how to run
     * @return the open cluster; close it
     * @throws NullPointerException         if an argument is null
     * @throws IllegalArgumentException     if the URI is malformed, names TLS or an unknown option
     * @throws KvConnectionException        if no seed node answers
     * @throws ClusterUnavailableException  if the cluster does not serve all 16,384 hash slots
     * @throws NativeException              if hiredis 0.14 is not installed
     */
    public static Cluster open(URI uri, ClusterOptions options) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(options, "options");
        return new Cluster(null, uri, options);
    }

    /**
     * @return the database directory
     * @throws UnsupportedOperationException if the cluster is a Redis Cluster (it has no directory)
     */
    public Path directory() {
        if (dir == null) {
            throw new UnsupportedOperationException(name + " is a Redis Cluster: it has no directory");
        }
        return dir;
    }

    /** @return the options it was opened with */
    public ClusterOptions options() {
        return options;
    }

    /**
     * @param alias 1 to 1,024 UTF-8 bytes, no NUL, no lone surrogate
     * @return the blob entry under it (nothing is read yet)
     * @throws IllegalArgumentException if the alias is empty, too long, contains NUL or is malformed UTF-16
     */
    public BlobEntry blob(String alias) {
        return new Entries.Blob(this, checkName(alias, "alias"));
    }

    /** @param alias the alias @return the integer entry under it */
    public IntegerEntry integer(String alias) {
        return new Entries.Int(this, checkName(alias, "alias"));
    }

    /** @param alias the alias @return the deque entry under it */
    public DequeEntry deque(String alias) {
        return new Entries.Deque(this, checkName(alias, "alias"));
    }

    /** @param alias the alias @return the set entry under it */
    public SetEntry set(String alias) {
        return new Entries.Set(this, checkName(alias, "alias"));
    }

    /**
     * @param name 1 to 1,024 UTF-8 bytes, no NUL, no lone surrogate
     * @return the tag
     * @throws IllegalArgumentException if the name is empty, too long, contains NUL or is malformed UTF-16
     */
    public Tag tag(String name) {
        return new Entries.TagImpl(this, checkName(name, "tag"));
    }

    /** @return a new, empty batch of writes that commit atomically (see {@link WriteBatch}) */
    public WriteBatch batch() {
        return new Entries.Batch(this);
    }

    /**
     * @param alias an alias (checked as by {@link #blob(String)})
     * @return whether a live entry of any type is under it (an expired one is not)
     */
    public boolean exists(String alias) {
        String a = checkName(alias, "alias");
        return run(() -> store.typeOf(a) != 0);
    }

    /** @param alias an alias @return whether a live entry is under it */
    public CompletableFuture<Boolean> existsAsync(String alias) {
        String a = checkName(alias, "alias");
        return async(p -> p.typeOfAsync(a).thenApply(t -> t != 0), () -> store.typeOf(a) != 0);
    }

    /**
     * @param alias an alias
     * @return the type of the live entry under it, or empty if there is none (never an exception for absence)
     */
    public Optional<EntryType> type(String alias) {
        String a = checkName(alias, "alias");
        return run(() -> entryType(store.typeOf(a)));
    }

    /** @param alias an alias @return the type of its live entry, or empty */
    public CompletableFuture<Optional<EntryType>> typeAsync(String alias) {
        String a = checkName(alias, "alias");
        return async(p -> p.typeOfAsync(a).thenApply(Cluster::entryType), () -> entryType(store.typeOf(a)));
    }

    private static Optional<EntryType> entryType(byte type) {
        return switch (type) {
            case Backend.BLOB -> Optional.of(EntryType.BLOB);
            case Backend.INTEGER -> Optional.of(EntryType.INTEGER);
            case Backend.DEQUE -> Optional.of(EntryType.DEQUE);
            case Backend.SET -> Optional.of(EntryType.SET);
            default -> Optional.empty();
        };
    }

    /**
     * The first page of the live aliases that start with {@code prefix}.
     *
     * @param prefix an alias prefix, possibly empty (every alias); no NUL, well-formed UTF-16, at most 1,024 UTF-8 bytes
     * @param limit  the most aliases in the page, 1 to {@value #MAX_PAGE}
     * @return the page; {@link AliasPage#next()} says where the next starts
     * @throws IllegalArgumentException if the prefix or the limit is out of range
     */
    public AliasPage listAliases(String prefix, int limit) {
        return listAliases(prefix, null, limit);
    }

    /**
     * A page of the live aliases that start with {@code prefix}, in UTF-8 byte order, after {@code startAfter}.
     * Pages are read one by one: an alias created or removed between two pages shows or not depending on where
     * it sorts, but no alias present throughout is skipped or repeated.
     *
     * @param prefix     an alias prefix, possibly empty
     * @param startAfter the last alias of the previous page ({@link AliasPage#next()}), or null for the first page
     * @param limit      the most aliases in the page, 1 to {@value #MAX_PAGE}
     * @return the page
     * @throws IllegalArgumentException if an argument is out of range
     */
    public AliasPage listAliases(String prefix, String startAfter, int limit) {
        String p = checkPrefix(prefix);
        String after = startAfter == null ? null : checkName(startAfter, "startAfter");
        checkLimit(limit);
        return run(() -> page(p, after, limit));
    }

    /** @param prefix an alias prefix @param limit the most aliases @return the first page */
    public CompletableFuture<AliasPage> listAliasesAsync(String prefix, int limit) {
        return listAliasesAsync(prefix, null, limit);
    }

    /** @param prefix an alias prefix @param startAfter the previous page's last, or null @param limit the most aliases @return the page */
    public CompletableFuture<AliasPage> listAliasesAsync(String prefix, String startAfter, int limit) {
        String p = checkPrefix(prefix);
        String after = startAfter == null ? null : checkName(startAfter, "startAfter");
        checkLimit(limit);
        return async(() -> page(p, after, limit));
    }

    /** The largest page of {@link #listAliases(String, String, int)}. */
    public static final int MAX_PAGE = 10_000;

    private AliasPage page(String prefix, String startAfter, int limit) {
        boolean[] more = new boolean[1];
        List<String> aliases = store.aliases(prefix, startAfter, limit, more);
        return new AliasPage(aliases, more[0] && !aliases.isEmpty()
                ? Optional.of(aliases.getLast()) : Optional.empty());
    }

    private static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix.isEmpty() ? prefix : checkName(prefix, "prefix");
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", got " + limit);
        }
    }

    /**
     * Reads several blobs at one consistent point in time (RocksDB's {@code MultiGet}).
     *
     * @param aliases the blobs' aliases (each checked as by {@link #blob(String)}); duplicates are read once
     * @return the content of each alias that holds a live blob, in the order asked; absent and expired ones
     *         are left out (unmodifiable)
     * @throws IncompatibleTypeException if an alias holds another type than a blob
     * @throws NullPointerException      if the list or an alias is null
     */
    public Map<String, byte[]> multiGet(List<String> aliases) {
        List<String> checked = checkAliases(aliases);
        return run(() -> multiGetNow(checked));
    }

    /** @param aliases the blobs' aliases @return the content of each live one, in the order asked */
    public CompletableFuture<Map<String, byte[]>> multiGetAsync(List<String> aliases) {
        List<String> checked = checkAliases(aliases);
        return async(() -> multiGetNow(checked));
    }

    private static List<String> checkAliases(List<String> aliases) {
        Objects.requireNonNull(aliases, "aliases");
        // distinct, in the order asked
        return List.copyOf(new java.util.LinkedHashSet<>(aliases.stream().map(a -> checkName(a, "alias")).toList()));
    }

    private Map<String, byte[]> multiGetNow(List<String> aliases) {
        List<byte[]> values = store.multiGet(aliases);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < aliases.size(); i++) {
            if (values.get(i) != null) {
                out.put(aliases.get(i), values.get(i));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return the driver's counters now: operations by form, failures, and the async queue's depth */
    public ClusterStats stats() {
        return new ClusterStats(blockingOps.sum(), asyncOps.sum(), failedOps.sum(), running(),
                queue.stats().inFlight(), options.maxPendingOperations());
    }

    /**
     * @param name a RocksDB property, such as {@code rocksdb.stats} (compaction and level statistics, as text),
     *             {@code rocksdb.estimate-num-keys} or {@code rocksdb.cur-size-all-mem-tables}
     * @return its value, or empty if RocksDB does not know the property
     */
    public Optional<String> rocksDbProperty(String name) {
        Objects.requireNonNull(name, "name");
        return run(() -> Optional.ofNullable(store.property(name)));
    }

    /** @param name a RocksDB property @return its value, or empty */
    public CompletableFuture<Optional<String>> rocksDbPropertyAsync(String name) {
        Objects.requireNonNull(name, "name");
        return async(() -> Optional.ofNullable(store.property(name)));
    }

    /**
     * @return RocksDB's statistics string (tickers such as {@code rocksdb.block.cache.hit} and latency
     *         histograms such as {@code rocksdb.db.get.micros}), or empty unless the cluster was opened with
     *         {@link ClusterOptions#withRocksDbStatistics(boolean)}
     */
    public Optional<String> rocksDbStatistics() {
        return run(() -> Optional.ofNullable(store.statistics()));
    }

    /** @return RocksDB's statistics string, or empty */
    public CompletableFuture<Optional<String>> rocksDbStatisticsAsync() {
        return async(() -> Optional.ofNullable(store.statistics()));
    }

    /**
     * Makes a consistent checkpoint of the live database: a new directory {@code target} that
     * {@link #open(Path)} opens as a database holding every write completed before the call (RocksDB's
     * {@code Checkpoint}: SST files hard-linked when {@code target} is on the same file system, copied
     * otherwise; the memtable is flushed first). Writes running meanwhile are in it or not, each whole.
     * {@snippet :
     * cluster.checkpoint(Path.of("backups", "2026-11-25"));
     * try (Cluster copy = Cluster.open(Path.of("backups", "2026-11-25"))) { ... }
     * }
     *
     * @param target where to make it; must not exist; its parent must be an existing directory outside the
     *               database directory
     * @throws NullPointerException     if {@code target} is null
     * @throws TargetExistsException    if {@code target} exists (a file, a directory, even empty, or a link)
     * @throws IllegalArgumentException if its parent does not exist or is not a directory, or it is inside the
     *                                  database directory
     * @throws NativeException          if RocksDB fails (no space, no permission), with RocksDB's message
     * @throws UnsupportedOperationException on a Redis Cluster ({@link #open(URI)}): its persistence is each
     *                                       node's RDB/AOF, not a directory this driver can make
     */
    public void checkpoint(Path target) {
        Path t = checkCheckpointTarget(target);
        run(() -> checkpointNow(t));
    }

    /**
     * @param target where to make it (see {@link #checkpoint(Path)})
     * @return completes when the checkpoint is made, or fails with the errors of {@link #checkpoint(Path)};
     *         argument errors are thrown before anything runs
     */
    public CompletableFuture<Void> checkpointAsync(Path target) {
        Path t = checkCheckpointTarget(target);
        return async(() -> checkpointNow(t));
    }

    private Path checkCheckpointTarget(Path target) {
        Objects.requireNonNull(target, "target");
        if (dir == null) {
            throw new UnsupportedOperationException("checkpoint(Path) copies an embedded RocksDB database; cluster "
                    + name + " is a Redis Cluster, whose nodes persist themselves (RDB snapshots, AOF): use BGSAVE "
                    + "on each master, or redis-cli --cluster backup");
        }
        Path abs = target.toAbsolutePath().normalize();
        if (abs.startsWith(dir.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("checkpoint target " + target + " is inside the database directory "
                    + dir + ": make it outside");
        }
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("the parent of checkpoint target " + target + " is "
                    + (parent != null && Files.exists(parent) ? "not a directory" : "missing")
                    + ": create the parent directory first");
        }
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw targetExists(target);
        }
        return abs;
    }

    private static TargetExistsException targetExists(Path target) {
        return new TargetExistsException("checkpoint target " + target + " already exists: a checkpoint makes a new "
                + "directory; pass a path that does not exist yet");
    }

    private Void checkpointNow(Path target) {
        String error = ((Store) store).checkpoint(target);
        if (error != null) {
            // the target appeared between the check and RocksDB's own ("Invalid argument: Directory exists")
            if (error.contains("Directory exists")) {
                throw targetExists(target);
            }
            throw new NativeException("checkpoint to " + target + " failed: RocksDB: " + error);
        }
        return null;
    }

    /** Expired entries listed per page of a sweep: bounds the memory of one sweep, not its length. */
    private static final int PURGE_PAGE = 1_000;
    private final java.util.concurrent.atomic.AtomicReference<ExpirySweeper> sweeper =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Deletes every entry expired by the cluster's clock, with its elements and tag links, now: one sweep over the
     * entries (pages of {@value #PURGE_PAGE}), each expired one purged in its own transaction after it is checked
     * again under its lock (a write that replaced it in between wins). Without it, an expired entry is purged
     * when an operation next touches its alias. On a Redis Cluster there is nothing to sweep: every key of an
     * entry carries the entry's expiry and Redis deletes expired keys itself; this returns 0 there.
     *
     * @return the entries purged
     */
    public long purgeExpired() {
        return run(this::purgeNow);
    }

    /** @return completes with the entries purged (see {@link #purgeExpired()}) */
    public CompletableFuture<Long> purgeExpiredAsync() {
        return async(this::purgeNow);
    }

    private long purgeNow() {
        long purged = 0;
        byte[] after = null;
        while (true) {
            List<byte[]> page = store.expiredAliases(after, PURGE_PAGE);
            for (byte[] alias : page) {
                if (store.purgeIfExpired(alias)) {
                    purged++;
                }
            }
            if (page.size() < PURGE_PAGE) {
                return purged;
            }
            after = page.getLast();
        }
    }

    /**
     * Starts purging expired entries in the background: a thread of the driver runs {@link #purgeExpired()}
     * now and then every {@code interval} (real time; expiry itself follows the cluster's clock) until the
     * returned purge or the cluster is closed.
     *
     * @param interval the pause between sweeps, positive
     * @return the running purge; close it to stop it
     * @throws NullPointerException     if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     * @throws IllegalStateException    if a purge of this cluster is running already (close it first)
     * @throws ClusterClosedException   if the cluster is closed
     */
    public ExpiryPurge purgeExpiredEvery(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        if (closed.get()) {
            throw new ClusterClosedException("cluster " + dir + " is closed");
        }
        ExpirySweeper s = new ExpirySweeper(this, interval);
        if (!sweeper.compareAndSet(null, s)) {
            throw new IllegalStateException("an expiry purge of " + dir + " is running already (" + sweeper.get()
                    + "); close it before starting another");
        }
        if (closed.get()) {
            // close ran between the check and the registration and may not have seen it
            sweeper.compareAndSet(s, null);
            throw new ClusterClosedException("cluster " + dir + " is closed");
        }
        s.start();
        return s;
    }

    /** Forgets a purge that was closed, so another may start. */
    void purgeClosed(ExpirySweeper s) {
        sweeper.compareAndSet(s, null);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the cluster: see the class comment. Safe to call from an async operation's callback (on the
     * completion thread): it runs the callbacks queued behind it itself rather than wait for them.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ExpirySweeper purge = sweeper.get();
        if (purge != null) {
            purge.close(); // its running sweep, if any, finishes first
        }
        // queued async operations now fail with ClusterClosedException when they start; running ones finish;
        // calls between allocating their item and submitting it finish that first (no false leak report)
        queue.close();
        long deadline = System.nanoTime() + options.operationTimeout().toNanos();
        boolean warned = false;
        while (running() > 0) {
            if (!warned && System.nanoTime() > deadline) {
                LOG.log(System.Logger.Level.WARNING, "cluster " + name + ": " + running() + " blocking operations "
                        + "still running after " + options.operationTimeout() + "; close waits for them, since "
                        + "closing RocksDB under a running call would crash the process");
                warned = true;
            }
            // blocking operations are short (bounded by the lock timeout): poll rather than add a lock to every call
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        store.close();
    }

    @Override
    public String toString() {
        return "Cluster[" + name + (closed.get() ? ", closed]" : "]");
    }

    // ---- plumbing for Entries

    Backend backend() {
        return store;
    }

    /** @return the RocksDB store (tests of the embedded backend) */
    Store store() {
        return (Store) store;
    }

    /** @return the epoch milliseconds of the clock expiry follows */
    long nowMillis() {
        return options.clock().millis();
    }

    /** Runs a blocking operation on the caller's thread. */
    <T> T run(Supplier<T> op) {
        // one counter for "called blocking" and "entered": two atomic adds per call, not three (the point
        // read's profile showed the adders' CAS as its largest Java cost)
        return execute(op, blockingOps);
    }

    /** Runs an operation on this thread: a blocking one, or an async one's work on a worker. */
    private <T> T execute(Supplier<T> op, LongAdder entries) {
        try {
            enter(entries);
        } catch (ClusterClosedException e) {
            failedOps.increment();
            throw e;
        }
        try (var _ = levelScope()) {
            return op.get();
        } catch (RuntimeException | Error e) {
            failedOps.increment();
            throw e;
        } finally {
            exited.increment();
        }
    }

    /** @return operations running now (see {@link #exited}) */
    private int running() {
        long out = exited.sum();
        return (int) (blockingOps.sum() + asyncEntered.sum() - out);
    }

    private void enter(LongAdder entries) {
        entries.increment();
        if (closed.get()) {
            exited.increment();
            throw new ClusterClosedException("cluster " + name + " is closed");
        }
    }

    /**
     * Runs an operation as a work item; the future's callback is pinned in a handle table until after-work
     * completes it, as the addon pinned its JavaScript callback in a Persistent.
     */
    <T> CompletableFuture<T> async(Supplier<T> op) {
        asyncOps.increment();
        KvFuture<T> future = new KvFuture<>(queue.newRendezvous());
        if (closed.get()) {
            failedOps.increment();
            future.completeExceptionally(new ClusterClosedException("cluster " + name + " is closed"));
            return future;
        }
        Handle<CompletableFuture<T>> callback = CALLBACKS.pin(future);
        long id = callback.id();
        try {
            if (InjectedLeaks.skip(InjectedLeaks.Leak.WORK_ITEM)) {
                // the replayed 2015 bug: an item allocated for the call and dropped, never submitted nor released
                queue.allocate();
            }
            // allocate and submit in one step: a close racing this call waits for it, so the item is never
            // seen allocated and unsubmitted (issue 12's false leak report)
            queue.<T>submit(it -> execute(op, asyncEntered), (T result, Throwable error) -> {
                try {
                    @SuppressWarnings("unchecked")
                    CompletableFuture<T> target = (CompletableFuture<T>) CALLBACKS.resolve(id, CompletableFuture.class);
                    if (error != null) {
                        target.completeExceptionally(error);
                    } else {
                        target.complete(result);
                    }
                } finally {
                    if (!InjectedLeaks.skip(InjectedLeaks.Leak.CALLBACK_HANDLE)) {
                        callback.release();
                    }
                }
            }, future.rendezvous());
        } catch (IllegalStateException e) {
            callback.release();
            failedOps.increment();
            future.completeExceptionally(new ClusterClosedException("cluster " + name + " is closed", e));
        } catch (RejectedExecutionException e) {
            callback.release();
            failedOps.increment();
            if (e.getCause() instanceof InterruptedException interrupt) {
                // the queue kept the thread's interrupt flag set; the operation never ran
                future.completeExceptionally(new KvInterruptedException("interrupted while waiting for an async "
                        + "slot (" + options.maxPendingOperations() + " operations pending); the operation did not "
                        + "run", interrupt));
            } else {
                future.completeExceptionally(new KvTimeoutException("no async slot freed up within "
                        + options.operationTimeout() + " (" + options.maxPendingOperations() + " operations "
                        + "pending): raise ClusterOptions.maxPendingOperations or the timeout", e));
            }
        }
        return future;
    }

    /**
     * Runs an operation the backend can pipeline ({@link PipelinedBackend}) without holding a worker: the
     * command is queued on its node and the future completes when its reply arrives, on the backend's
     * completion thread. The callback is pinned in the handle table until then, and {@link #close()} waits for
     * it like for a running operation. A backend without the capability runs {@code op} as a work item.
     */
    <T> CompletableFuture<T> async(Function<PipelinedBackend, CompletableFuture<T>> pipelined, Supplier<T> op) {
        if (!(store instanceof PipelinedBackend backend)) {
            return async(op);
        }
        asyncOps.increment();
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            enter(asyncEntered);
        } catch (ClusterClosedException e) {
            failedOps.increment();
            future.completeExceptionally(e);
            return future;
        }
        // the same bound as the work queue's: at most maxPendingOperations out at once, more wait up to the timeout
        try {
            if (!pipelinedSlots.tryAcquire(options.operationTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                exited.increment();
                failedOps.increment();
                future.completeExceptionally(new KvTimeoutException("no async slot freed up within "
                        + options.operationTimeout() + " (" + options.maxPendingOperations() + " operations "
                        + "pending): raise ClusterOptions.maxPendingOperations or the timeout"));
                return future;
            }
        } catch (InterruptedException interrupt) {
            Thread.currentThread().interrupt();
            exited.increment();
            failedOps.increment();
            future.completeExceptionally(new KvInterruptedException("interrupted while waiting for an async slot ("
                    + options.maxPendingOperations() + " operations pending); the operation did not run", interrupt));
            return future;
        }
        Handle<CompletableFuture<T>> callback = CALLBACKS.pin(future);
        long id = callback.id();
        CompletableFuture<T> inner;
        try (var _ = levelScope()) {
            inner = pipelined.apply(backend);
        } catch (RuntimeException e) {
            inner = CompletableFuture.failedFuture(e);
        }
        inner.whenCompleteAsync((T result, Throwable error) -> {
            try {
                pipelinedSlots.release();
                exited.increment();
                @SuppressWarnings("unchecked")
                CompletableFuture<T> target = (CompletableFuture<T>) CALLBACKS.resolve(id, CompletableFuture.class);
                if (error != null) {
                    failedOps.increment();
                    target.completeExceptionally(error instanceof CompletionException c && c.getCause() != null
                            ? c.getCause() : error);
                } else {
                    target.complete(result);
                }
            } finally {
                if (!InjectedLeaks.skip(InjectedLeaks.Leak.CALLBACK_HANDLE)) {
                    callback.release();
                }
            }
        }, backend.completions());
        return future;
    }

    /**
     * Checks an alias or tag. Names are stored as UTF-8; a lone surrogate has no UTF-8 form ({@code getBytes}
     * would fold it to {@code '?'}, so "a\uD800" and "a?" would be one entry), so it is rejected here.
     */
    static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        int bytes = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException(what + " must not contain NUL (found at index " + i + ")");
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " is malformed UTF-16: a lone "
                        + (Character.isHighSurrogate(c) ? "high" : "low") + " surrogate U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                        + " (it has no UTF-8 form); names must be well-formed Unicode");
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes + " UTF-8 bytes, more than the limit of "
                    + MAX_NAME_BYTES);
        }
        return name;
    }

    static byte[] checkValue(byte[] value, String what) {
        Objects.requireNonNull(value, what);
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(what + " is " + value.length + " bytes, more than the limit of "
                    + MAX_VALUE_BYTES);
        }
        return value;
    }
}
