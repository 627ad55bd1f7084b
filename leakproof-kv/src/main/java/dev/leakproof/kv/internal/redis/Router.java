package dev.leakproof.kv.internal.redis;

import dev.leakproof.kv.ClusterUnavailableException;
import dev.leakproof.kv.KvConnectionException;
import dev.leakproof.kv.KvException;
import dev.leakproof.kv.KvInterruptedException;
import dev.leakproof.kv.KvTimeoutException;
import dev.leakproof.kv.NativeException;
import dev.leakproof.kv.internal.InjectedLeaks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Slot routing over a Redis Cluster, the way every cluster client does it (the Redis Cluster specification,
 * "Redirection and resharding"; Jedis's {@code JedisClusterCommand}, Lettuce's {@code ClusterCommand}).
 *
 * <p>Design note. The slot map (slot → master {@code host:port}) is read with {@code CLUSTER SLOTS} from the
 * first known node that answers. A command goes to its key's master over a pooled connection (one per node
 * per combining thread: a connection is lent to one thread for one batch), pipelined across the threads that
 * call at once ({@link NodePipeline}). On {@code MOVED} the slot is
 * re-pointed and the whole map re-read (a failover or resharding moves many slots at once), then the command
 * is retried; on {@code ASK} it is sent once to the named node after {@code ASKING}, without touching the map;
 * on {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code LOADING} and {@code MASTERDOWN}, or a node that refuses
 * connections, the router backs off (10 ms doubling to 320 ms), re-reads the map and retries. Every retry is
 * bounded by the operation's deadline; past it the last error surfaces as {@link KvTimeoutException}. A
 * command whose connection broke after it was sent is retried only when it is idempotent (a read); a write
 * then fails with {@link KvConnectionException}, since it may or may not have run (at most once).
 */
final class Router implements AutoCloseable {
    private static final long MIN_BACKOFF_NANOS = 10_000_000L;
    private static final long MAX_BACKOFF_NANOS = 320_000_000L;
    private static final int MAX_REDIRECTS = 16;
    private static final byte[] ASKING = bytes("ASKING");
    private static final System.Logger LOG = System.getLogger("dev.leakproof.kv");

    private final RedisConfig config;
    /** How this router's connections wait for a reply. */
    private final ReplyPolling polling;
    private final long operationTimeoutNanos;
    private final Map<String, ConcurrentLinkedDeque<Connection>> pools = new ConcurrentHashMap<>();
    private final Map<String, NodePipeline> pipelines = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder batches = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder pipelined = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder directs = new java.util.concurrent.atomic.LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    /** slot → master {@code host:port}, or null where no node serves it; replaced whole on refresh. */
    private volatile String[] slots;
    private volatile boolean closed;

    /**
     * Connects to the seeds and reads the slot map.
     *
     * @throws KvConnectionException        if no seed answers (each seed's error in the message)
     * @throws ClusterUnavailableException if the cluster does not cover all 16,384 slots, or is not in cluster mode
     */
    Router(RedisConfig config, long operationTimeoutMillis) {
        this.config = config;
        this.polling = new ReplyPolling(config.replySpinMicros() * 1_000);
        this.operationTimeoutNanos = operationTimeoutMillis * 1_000_000L;
        List<String> errors = new ArrayList<>();
        String[] map = null;
        for (String seed : config.seeds()) {
            try {
                map = readSlots(seed);
                break;
            } catch (KvConnectionException e) {
                errors.add(e.getMessage());
            }
        }
        if (map == null) {
            close();
            throw new KvConnectionException("no seed node of " + config + " answered: " + String.join("; ", errors));
        }
        int missing = 0;
        int first = -1;
        for (int s = 0; s < Slots.COUNT; s++) {
            if (map[s] == null) {
                missing++;
                if (first < 0) {
                    first = s;
                }
            }
        }
        if (missing > 0) {
            close();
            throw new ClusterUnavailableException("the Redis Cluster at " + config + " does not serve " + missing
                    + " of its 16384 hash slots (the first is slot " + first + "): assign every slot ("
                    + "redis-cli --cluster fix) before opening it");
        }
        slots = map;
    }

    /** @return the master serving {@code slot}, or null */
    String nodeOf(int slot) {
        return slots[slot];
    }

    /** @return the masters in the current map, each once */
    List<String> masters() {
        return java.util.Arrays.stream(slots).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /**
     * @return batches sent by combiners, the commands in them (their ratio is the pipelining achieved), the
     *         commands blocking callers sent on connections of their own while the node was busy, and the replies
     *         that arrived while their lone waiter polled, and the lone waiters whose poll ended without one
     */
    long[] pipelineCounts() {
        return new long[] {batches.sum(), pipelined.sum(), directs.sum(), polling.polled(), polling.outlasted()};
    }

    /** @return commands queued for {@code node} and not yet taken by a combiner */
    int queued(String node) {
        return pipeline(node).pending.size();
    }

    /** @return connections now open (lent out or idle) */
    int openConnections() {
        return open.get();
    }

    private String[] readSlots(String node) {
        Connection c = borrow(node);
        Object reply;
        try {
            reply = c.command(bytes("CLUSTER"), bytes("SLOTS"));
        } catch (Connection.IoFailure e) {
            discard(c);
            throw new KvConnectionException("reading the slot map from " + node + " failed: " + e.getMessage(), e);
        }
        giveBack(c);
        if (reply instanceof Connection.ErrorReply err) {
            throw new ClusterUnavailableException("Redis node " + node + " answered CLUSTER SLOTS with '" + err.message()
                    + "': is it a Redis Cluster node (cluster-enabled yes)?");
        }
        String[] map = new String[Slots.COUNT];
        for (Object range : (List<?>) reply) {
            List<?> r = (List<?>) range;
            int from = ((Long) r.get(0)).intValue();
            int to = ((Long) r.get(1)).intValue();
            List<?> master = (List<?>) r.get(2);
            String host = new String((byte[]) master.get(0), StandardCharsets.UTF_8);
            if (host.isEmpty()) {
                // a node that does not know its own address answers with an empty host: it is the one asked
                host = node.substring(0, node.lastIndexOf(':'));
            }
            String address = host + ":" + master.get(1);
            for (int s = from; s <= to; s++) {
                map[s] = address;
            }
        }
        return map;
    }

    /** Re-reads the slot map from any node that answers (masters first, then the seeds, {@code avoid} last). */
    private void refresh(String avoid) {
        Set<String> candidates = new LinkedHashSet<>();
        for (String s : slots) {
            if (s != null) {
                candidates.add(s);
            }
        }
        candidates.addAll(config.seeds());
        if (avoid != null && candidates.remove(avoid)) {
            // a node that just failed is asked last: a stopped one would cost a whole command timeout
            candidates.add(avoid);
        }
        for (String node : candidates) {
            try {
                String[] map = readSlots(node);
                slots = map;
                return;
            } catch (KvException e) {
                // try the next node; the caller's retry loop is bounded by its deadline
            }
        }
    }

    /**
     * Runs one command on the master of {@code slot}, following redirects and retrying within the deadline.
     *
     * @param slot       the keys' slot, or -1 for any master
     * @param idempotent whether it may be sent again after its connection broke under it
     * @return the reply; an error reply other than a redirect or a transient cluster state is returned as is
     */
    Object call(int slot, boolean idempotent, byte[]... args) {
        return call(slot, idempotent, null, args);
    }

    /** As {@link #call(int, boolean, byte[]...)}, to a given node ({@code null}: the slot's master). */
    Object call(int slot, boolean idempotent, String node, byte[]... args) {
        Call call = new Call(slot, idempotent, node, args);
        while (true) {
            String target = call.target();
            Attempt a = target == null ? null : call.asking ? askingAttempt(target, args) : pipeline(target).send(args);
            Next next = call.next(target, a);
            if (next instanceof Done d) {
                return d.reply;
            }
            if (next instanceof Backoff b) {
                LockSupport.parkNanos(b.nanos);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new KvInterruptedException("interrupted while waiting to retry a Redis command ("
                            + call.last + ")", new InterruptedException());
                }
                refreshQuietly(target);
            }
        }
    }

    /**
     * Runs one command like {@link #call(int, boolean, byte[]...)} without blocking the caller: it is queued on
     * its node's pipeline, sent by that node's I/O thread (or by a blocking caller combining at the time) in a
     * batch with the others queued, and the future completes on that thread with the reply or the typed error.
     * Redirects and retries follow the same rules within the same deadline.
     */
    CompletableFuture<Object> callAsync(int slot, boolean idempotent, byte[]... args) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        new AsyncCall(new Call(slot, idempotent, null, args), future).attempt();
        return future;
    }

    private final class AsyncCall {
        final Call call;
        final CompletableFuture<Object> future;

        AsyncCall(Call call, CompletableFuture<Object> future) {
            this.call = call;
            this.future = future;
        }

        void attempt() {
            String target;
            try {
                target = call.target();
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return;
            }
            if (target == null) {
                step(null, null);
            } else if (call.asking) {
                // rare (a slot being migrated): done on a thread of its own, blocking
                Thread.ofVirtual().start(() -> step(target, askingAttempt(target, call.args)));
            } else {
                pipeline(target).sendAsync(call.args, a -> step(target, a));
            }
        }

        void step(String target, Attempt a) {
            Next next;
            try {
                next = call.next(target, a);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return;
            }
            if (next instanceof Done d) {
                future.complete(d.reply);
            } else if (next instanceof Backoff b) {
                CompletableFuture.delayedExecutor(b.nanos, TimeUnit.NANOSECONDS, Thread.ofVirtual().factory()::newThread)
                        .execute(() -> {
                            refreshQuietly(target);
                            attempt();
                        });
            } else {
                attempt();
            }
        }
    }

    /** What a call does after an attempt. */
    private sealed interface Next permits Done, Backoff, Again {
    }

    private record Done(Object reply) implements Next {
    }

    private record Backoff(long nanos) implements Next {
    }

    private record Again() implements Next {
    }

    private static final Again AGAIN = new Again();

    /** The state of one command across its attempts: where to send it, the deadline, redirects, the last error. */
    private final class Call {
        final int slot;
        final boolean idempotent;
        final String node;
        final byte[][] args;
        final long deadline = System.nanoTime() + operationTimeoutNanos;
        long backoff = MIN_BACKOFF_NANOS;
        String askNode;
        boolean asking;
        int redirects;
        String last;

        Call(int slot, boolean idempotent, String node, byte[][] args) {
            this.slot = slot;
            this.idempotent = idempotent;
            this.node = node;
            this.args = args;
        }

        /** @return the node for the next attempt, or null when no node serves the slot */
        String target() {
            if (closed) {
                throw new dev.leakproof.kv.ClusterClosedException("the Redis Cluster connection " + config + " is closed");
            }
            String t = askNode != null ? askNode : node != null ? node : slot < 0 ? masters().getFirst() : slots[slot];
            asking = askNode != null;
            askNode = null;
            return t;
        }

        /**
         * @param a the attempt's outcome, or null when there was no node to send to
         * @return what to do next
         * @throws KvException when the command failed for good
         */
        Next next(String target, Attempt a) {
            String transientError;
            if (a == null) {
                transientError = "slot " + slot + " is served by no node";
            } else if (a.connectFailure != null) {
                transientError = a.connectFailure.getMessage();
            } else if (a.ioFailure != null) {
                last = a.ioFailure.getMessage();
                if (!idempotent) {
                    refreshQuietly(target);
                    if (a.ioFailure.timeout) {
                        throw new KvTimeoutException(last + ": no reply within the command timeout of "
                                + config.commandTimeoutMillis() + " ms; the write may or may not have run");
                    }
                    throw new KvConnectionException(last + ": the connection broke under the command; "
                            + "the write may or may not have run", a.ioFailure);
                }
                transientError = last;
            } else if (!(a.reply instanceof Connection.ErrorReply err)) {
                return new Done(a.reply);
            } else if (err.startsWith("MOVED ") || err.startsWith("ASK ")) {
                if (++redirects > MAX_REDIRECTS) {
                    throw new NativeException("more than " + MAX_REDIRECTS + " redirects for slot " + slot
                            + ", the last '" + err.message() + "': the cluster's slot map does not settle");
                }
                String[] parts = err.message().split(" ");
                String to = parts[2];
                if (to.startsWith(":")) {
                    to = target.substring(0, target.lastIndexOf(':')) + to;
                }
                if (err.startsWith("ASK ")) {
                    askNode = to;
                } else {
                    String[] map = slots.clone();
                    map[Integer.parseInt(parts[1])] = to;
                    slots = map;
                    refreshQuietly(target);
                }
                return AGAIN;
            } else if (err.startsWith("TRYAGAIN") || err.startsWith("CLUSTERDOWN") || err.startsWith("LOADING")
                    || err.startsWith("MASTERDOWN")) {
                transientError = "node " + target + ": " + err.message();
            } else {
                return new Done(err);
            }
            last = transientError;
            long wait = backoff;
            if (System.nanoTime() + wait > deadline) {
                throw new KvTimeoutException("the Redis Cluster did not serve the command within the operation "
                        + "timeout of " + operationTimeoutNanos / 1_000_000 + " ms; the last error: " + last);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            return new Backoff(wait);
        }
    }

    /** The outcome of one send: a reply (possibly an error reply), or why there is none. */
    record Attempt(Object reply, Connection.IoFailure ioFailure, KvConnectionException connectFailure) {
    }

    private Attempt askingAttempt(String target, byte[][] args) {
        Connection c;
        try {
            c = borrow(target);
        } catch (KvConnectionException e) {
            return new Attempt(null, null, e);
        }
        try {
            c.append(ASKING);
            c.append(args);
            c.nextReply();
            Object reply = c.nextReply();
            giveBack(c);
            return new Attempt(reply, null, null);
        } catch (Connection.IoFailure e) {
            discard(c);
            return new Attempt(null, e, null);
        }
    }

    private NodePipeline pipeline(String node) {
        return pipelines.computeIfAbsent(node, NodePipeline::new);
    }

    /**
     * Pipelining by flat combining (Hendler, Incze, Shavit, Tzafrir, "Flat combining and the
     * synchronization-parallelism tradeoff", SPAA 2010): a command for a node is queued; the thread that wins
     * the node's flag becomes the combiner and sends every queued command on one connection
     * ({@code redisAppendCommandArgv} for each, then {@code redisGetReply} for each, in order), handing each
     * reply to its caller. A blocking caller combines itself, so with one caller a command costs what
     * {@code redisCommandArgv} costs; async commands wake the node's I/O thread, which combines for them. With
     * many commands in flight to one node, a batch costs one round trip instead of one per command. A combiner
     * that releases the flag wakes the caller at the head of the queue (its thread, or the I/O thread for an
     * async command), so no queued command waits for a combiner that has left.
     */
    final class NodePipeline {
        private static final int MAX_BATCH = 256;
        private final String node;
        private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean combining = new AtomicBoolean();
        private volatile Thread io;

        NodePipeline(String node) {
            this.node = node;
        }

        Attempt send(byte[][] args) {
            if (combining.get()) {
                // the node is busy with another sender: a blocking caller does not park behind it (three of four
                // callers parked and woken each round trip cost more than the round trips saved on 2 cores, 0.60×
                // Jedis), it sends on a pooled connection of its own, as Jedis gives each thread one
                return direct(args);
            }
            Request r = new Request(args, Thread.currentThread(), null);
            pending.add(r);
            boolean interrupted = false;
            while (!r.done) {
                if (combining.compareAndSet(false, true)) {
                    try {
                        combine(r);
                    } finally {
                        release();
                    }
                } else {
                    LockSupport.park(this);
                    // waiting is bounded by the combiner's command timeout; the interrupt is kept for the caller
                    interrupted |= Thread.interrupted();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return r.result;
        }

        /** One command on a connection of the caller's own (idle in the pool, or opened), outside any batch. */
        private Attempt direct(byte[][] args) {
            Connection c;
            try {
                c = borrow(node);
            } catch (KvConnectionException e) {
                return new Attempt(null, null, e);
            }
            directs.increment();
            try {
                Object reply = c.command(args);
                giveBack(c);
                return new Attempt(reply, null, null);
            } catch (Connection.IoFailure e) {
                discard(c);
                return new Attempt(null, e, null);
            }
        }

        void sendAsync(byte[][] args, java.util.function.Consumer<Attempt> callback) {
            pending.add(new Request(args, null, callback));
            wakeIo();
        }

        private void release() {
            combining.set(false);
            Request head = pending.peek();
            if (head != null) {
                if (head.waiter != null) {
                    LockSupport.unpark(head.waiter);
                } else {
                    wakeIo();
                }
            }
        }

        private void wakeIo() {
            Thread t = io;
            if (t == null) {
                synchronized (this) {
                    t = io;
                    if (t == null) {
                        t = Thread.ofPlatform().daemon().name("kv-redis-io-" + node).unstarted(this::ioLoop);
                        io = t;
                        t.start();
                    }
                }
            }
            LockSupport.unpark(t);
        }

        /** The node's I/O thread: combines whenever async commands are queued and no caller is combining. */
        private void ioLoop() {
            while (!closed) {
                if (!pending.isEmpty() && combining.compareAndSet(false, true)) {
                    try {
                        combine(null);
                    } finally {
                        release();
                    }
                } else {
                    LockSupport.park(this);
                }
            }
            // closing: fail what is still queued
            Request q;
            while ((q = pending.poll()) != null) {
                q.finish(new Attempt(null, null, new KvConnectionException("the Redis Cluster connection " + config
                        + " closed before the command was sent")));
            }
        }

        /** Sends batches until the queue is empty or {@code mine} (null: none) is answered. */
        private void combine(Request mine) {
            List<Request> batch = new ArrayList<>();
            while (mine == null || !mine.done) {
                batch.clear();
                Request q;
                while (batch.size() < MAX_BATCH && (q = pending.poll()) != null) {
                    batch.add(q);
                }
                if (batch.isEmpty()) {
                    return;
                }
                Connection c;
                try {
                    c = borrow(node);
                } catch (KvConnectionException e) {
                    for (Request b : batch) {
                        b.finish(new Attempt(null, null, e));
                    }
                    continue;
                }
                batches.increment();
                pipelined.add(batch.size());
                int answered = 0;
                try {
                    if (batch.size() == 1) {
                        Object reply = c.command(batch.getFirst().args);
                        answered = 1;
                        giveBack(c);
                        batch.getFirst().finish(new Attempt(reply, null, null));
                    } else {
                        Object[] replies = new Object[batch.size()];
                        for (Request b : batch) {
                            c.append(b.args);
                        }
                        for (int i = 0; i < replies.length; i++) {
                            replies[i] = c.nextReply();
                            answered++;
                        }
                        giveBack(c);
                        for (int i = 0; i < replies.length; i++) {
                            batch.get(i).finish(new Attempt(replies[i], null, null));
                        }
                    }
                } catch (Connection.IoFailure e) {
                    discard(c);
                    for (int i = answered; i < batch.size(); i++) {
                        batch.get(i).finish(new Attempt(null, e, null));
                    }
                }
            }
        }

        void stop() {
            Thread t = io;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** One queued command and who waits for it: a blocked thread, or an async callback. */
    private static final class Request {
        final byte[][] args;
        final Thread waiter;
        final java.util.function.Consumer<Attempt> callback;
        Attempt result;
        volatile boolean done;

        Request(byte[][] args, Thread waiter, java.util.function.Consumer<Attempt> callback) {
            this.args = args;
            this.waiter = waiter;
            this.callback = callback;
        }

        void finish(Attempt a) {
            result = a;
            done = true;
            if (callback != null) {
                // an exception never escapes into the combiner, whose other callers still wait for replies
                try {
                    callback.accept(a);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "an async Redis command's callback threw", e);
                }
            } else if (waiter != Thread.currentThread()) {
                LockSupport.unpark(waiter);
            }
        }
    }

    private void refreshQuietly(String avoid) {
        try {
            refresh(avoid);
        } catch (RuntimeException e) {
            // the retry loop reports the command's own error
        }
    }

    private Connection borrow(String node) {
        ConcurrentLinkedDeque<Connection> pool = pools.computeIfAbsent(node, n -> new ConcurrentLinkedDeque<>());
        Connection c = pool.pollFirst();
        if (c != null) {
            return c;
        }
        int colon = node.lastIndexOf(':');
        Connection fresh = Connection.open(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)),
                config.connectTimeoutMillis(), config.commandTimeoutMillis(), polling);
        open.incrementAndGet();
        if (config.password() != null) {
            Object reply;
            try {
                reply = config.user() != null
                        ? fresh.command(bytes("AUTH"), bytes(config.user()), bytes(config.password()))
                        : fresh.command(bytes("AUTH"), bytes(config.password()));
            } catch (Connection.IoFailure e) {
                discard(fresh);
                throw new KvConnectionException("authenticating to " + node + " failed: " + e.getMessage(), e);
            }
            if (reply instanceof Connection.ErrorReply err) {
                discard(fresh);
                throw new KvConnectionException("Redis node " + node + " refused the credentials of " + config + ": "
                        + err.message());
            }
        }
        return fresh;
    }

    private void giveBack(Connection c) {
        ConcurrentLinkedDeque<Connection> pool = pools.computeIfAbsent(c.node(), n -> new ConcurrentLinkedDeque<>());
        if (closed || pool.size() >= config.connectionsPerNode()) {
            discard(c);
        } else {
            pool.offerFirst(c);
            if (closed) {
                // close() may have drained the pool before the offer
                closeIdle();
            }
        }
    }

    private void discard(Connection c) {
        c.close();
        open.decrementAndGet();
    }

    private void closeIdle() {
        for (ConcurrentLinkedDeque<Connection> pool : pools.values()) {
            Connection c;
            while ((c = pool.pollFirst()) != null) {
                discard(c);
            }
        }
    }

    /** Frees every idle connection; the caller guarantees none is lent out. A second call does nothing more. */
    @Override
    public void close() {
        closed = true;
        for (NodePipeline p : pipelines.values()) {
            p.stop();
        }
        if (!InjectedLeaks.skip(InjectedLeaks.Leak.OPEN_CLOSE)) {
            closeIdle();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
