package dev.leakproof.kv.internal.redis;

import dev.leakproof.kv.AliasAlreadyExistsException;
import dev.leakproof.kv.AliasNotFoundException;
import dev.leakproof.kv.CrossSlotException;
import dev.leakproof.kv.ElementAlreadyExistsException;
import dev.leakproof.kv.ElementNotFoundException;
import dev.leakproof.kv.EmptyContainerException;
import dev.leakproof.kv.IncompatibleTypeException;
import dev.leakproof.kv.KvTimeoutException;
import dev.leakproof.kv.NativeException;
import dev.leakproof.kv.OutOfRangeException;
import dev.leakproof.kv.TagAlreadySetException;
import dev.leakproof.kv.TagNotSetException;
import dev.leakproof.kv.internal.Backend;
import dev.leakproof.kv.internal.BatchOp;
import dev.leakproof.kv.internal.PipelinedBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The 2015 addon's data model on a Redis Cluster, through hiredis.
 *
 * <p>Design note. Every key of one entry carries the same hash tag, so every operation on an entry is one
 * Lua script ({@link Scripts}) run atomically on one slot:
 * <pre>
 * {T}e:alias   hash  t = type (1 blob, 2 integer, 3 deque, 4 set), x = expiry millis (0 never),
 *                    v = payload (a blob's bytes, an integer in decimal so HINCRBY adds it exactly)
 * {T}q:alias   list  the deque's elements, front first
 * {T}s:alias   set   the set's elements
 * {T}a:alias   hash  tag → generation of the link: the entry's tags (authoritative)
 * {G}t:tag     hash  alias → generation: the tag's index, in the tag's own slot
 * </pre>
 * {@code T} is the alias's own Redis hash tag when it has one (so {@code {user42}.name} and
 * {@code {user42}.cart} share a slot, and a batch over them is atomic), else the whole alias, with {@code %}
 * and <code>}</code> escaped. Expiry is Redis's own: the entry's keys all get {@code PEXPIREAT} of the same
 * millisecond, and Redis (not the driver's clock) decides when they vanish.
 *
 * <p>Tags span slots, so a link is written on two nodes, index first: attach adds {@code alias → g} to the
 * index, then {@code tag → g} to the entry (a fresh generation {@code g} per attach); detach and removal
 * delete the entry's side, then the index's only if it still holds the same {@code g}. {@code getEntries}
 * reads the index and returns only aliases whose live entry carries the tag (checked on the entry's slot),
 * so it never returns an entry without the tag; an index member whose entry does not carry the tag is
 * removed lazily, and only once its generation is older than a grace period (an attach in flight between
 * its two writes must not lose its index member).
 */
public final class RedisBackend implements Backend, PipelinedBackend {
    private static final byte[] EVALSHA = bytes("EVALSHA");
    private static final byte[] EVAL = bytes("EVAL");

    private final Router router;
    private final InstantSource clock;
    private final long operationTimeoutMillis;
    private final long repairGraceMillis;
    private final String name;
    /** Completes users' futures, so their callbacks never run on a node's I/O thread. */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("kv-redis-completion").factory());

    private RedisBackend(RedisConfig config, long operationTimeoutMillis, InstantSource clock) {
        this.router = new Router(config, operationTimeoutMillis);
        this.clock = clock;
        this.operationTimeoutMillis = operationTimeoutMillis;
        this.repairGraceMillis = 2 * operationTimeoutMillis + config.commandTimeoutMillis();
        this.name = config.toString();
    }

    /**
     * Connects to the cluster and reads its slot map.
     *
     * @param uri                    {@code redis://[user:password@]host:port[,host:port...][?options]} (see {@link RedisConfig})
     * @param operationTimeoutMillis the bound of every operation, retries included
     * @param clock                  the clock tag-link generations are stamped with
     * @return the open backend
     * @throws IllegalArgumentException                      if the URI is malformed (the message says how)
     * @throws dev.leakproof.kv.KvConnectionException        if no seed answers
     * @throws dev.leakproof.kv.ClusterUnavailableException  if the cluster does not cover every slot
     * @throws NativeException                               if hiredis 0.14 is missing
     */
    public static RedisBackend open(URI uri, long operationTimeoutMillis, InstantSource clock) {
        return new RedisBackend(RedisConfig.parse(uri), operationTimeoutMillis, clock);
    }

    @Override
    public void close() {
        router.close();
        completions.shutdown();
    }

    @Override
    public Executor completions() {
        return completions;
    }

    // ---------------------------------------------------------------- pipelined (async) forms

    private CompletableFuture<Object> evalAsync(Scripts.Script script, int slot, boolean idempotent, byte[][] keys,
                                                byte[]... args) {
        byte[][] argv = new byte[3 + keys.length + args.length][];
        argv[0] = EVALSHA;
        argv[1] = script.sha();
        argv[2] = bytes(Integer.toString(keys.length));
        System.arraycopy(keys, 0, argv, 3, keys.length);
        System.arraycopy(args, 0, argv, 3 + keys.length, args.length);
        return router.callAsync(slot, idempotent, argv).thenCompose(reply -> {
            if (reply instanceof Connection.ErrorReply err && err.startsWith("NOSCRIPT")) {
                byte[][] eval = argv.clone();
                eval[0] = EVAL;
                eval[1] = script.text();
                return router.callAsync(slot, idempotent, eval);
            }
            return CompletableFuture.completedFuture(reply);
        });
    }

    private CompletableFuture<Object> runAsync(Scripts.Script script, String alias, boolean idempotent, byte[]... args) {
        EntryKeys k = EntryKeys.of(alias);
        return evalAsync(script, k.slot(), idempotent, k.keys(), args).thenApply(reply -> {
            if (reply instanceof Connection.ErrorReply err) {
                throw new CompletionException(error(err.message(), alias, wantedType(script, args),
                        args.length > 0 ? args[0] : null, args));
            }
            return reply;
        });
    }

    @Override
    public CompletableFuture<byte[]> readAsync(String alias, byte type) {
        EntryKeys k = EntryKeys.of(alias);
        return router.callAsync(k.slot(), true, bytes("HMGET"), k.entry(), bytes("t"), bytes("v"))
                .thenApply(reply -> decode(type, (byte[]) checkFields(reply, alias, type).get(1)));
    }

    @Override
    public CompletableFuture<Void> writeAsync(String alias, byte type, byte[] payload, long expiry, boolean mustBeNew) {
        return runAsync(Scripts.WRITE, alias, false, typeArg(type), encode(type, payload), num(expiry), flag(mustBeNew))
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Long> addAsync(String alias, long delta) {
        return runAsync(Scripts.ADD, alias, false, num(delta)).thenApply(RedisBackend::asLong);
    }

    @Override
    public CompletableFuture<Byte> typeOfAsync(String alias) {
        EntryKeys k = EntryKeys.of(alias);
        return router.callAsync(k.slot(), true, bytes("HGET"), k.entry(), bytes("t")).thenApply(r -> typeReply(r, alias));
    }

    @Override
    public CompletableFuture<Long> pushAsync(String alias, byte[] element, boolean front) {
        return runAsync(Scripts.PUSH, alias, false, element, flag(front)).thenApply(RedisBackend::asLong);
    }

    @Override
    public CompletableFuture<byte[]> popAsync(String alias, boolean front) {
        return runAsync(Scripts.POP, alias, false, flag(front)).thenApply(r -> (byte[]) r);
    }

    @Override
    public CompletableFuture<Void> setInsertAsync(String alias, byte[] element) {
        return runAsync(Scripts.SET_INSERT, alias, false, element).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Boolean> setContainsAsync(String alias, byte[] element) {
        return runAsync(Scripts.SET_CONTAINS, alias, true, element).thenApply(r -> asLong(r) == 1);
    }

    /** @return the master ({@code host:port}) that serves the alias's entry in the current slot map */
    public String nodeOf(String alias) {
        return router.nodeOf(EntryKeys.of(alias).slot());
    }

    /** @return the master ({@code host:port}) that serves {@code slot} in the current slot map */
    public String nodeOfSlot(int slot) {
        return router.nodeOf(slot);
    }

    /** @return hiredis connections open now (for tests and stats) */
    public int openConnections() {
        return router.openConnections();
    }

    // ---------------------------------------------------------------- keys

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the escaped hash-tag part of a name: its own Redis hash tag if it has one, else the whole name */
    static byte[] tagPart(byte[] name) {
        int from = 0;
        int to = name.length;
        int open = indexOf(name, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(name, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + 2);
        for (int i = from; i < to; i++) {
            byte b = name[i];
            if (b == '%') {
                out.writeBytes(bytes("%25"));
            } else if (b == '}') {
                out.writeBytes(bytes("%7D"));
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    static byte[] key(byte[] tag, char kind, byte[] name) {
        byte[] k = new byte[tag.length + 4 + name.length];
        k[0] = '{';
        System.arraycopy(tag, 0, k, 1, tag.length);
        k[tag.length + 1] = '}';
        k[tag.length + 2] = (byte) kind;
        k[tag.length + 3] = ':';
        System.arraycopy(name, 0, k, tag.length + 4, name.length);
        return k;
    }

    /** The four keys of one entry, and their slot. */
    private record EntryKeys(byte[][] keys, int slot) {
        static EntryKeys of(String alias) {
            byte[] a = bytes(alias);
            byte[] t = tagPart(a);
            byte[] e = key(t, 'e', a);
            return new EntryKeys(new byte[][] {e, key(t, 'q', a), key(t, 's', a), key(t, 'a', a)}, Slots.of(e));
        }

        byte[] entry() {
            return keys[0];
        }
    }

    private static byte[] indexKey(String tag) {
        byte[] g = bytes(tag);
        return key(tagPart(g), 't', g);
    }

    // ---------------------------------------------------------------- running scripts

    private Object eval(Scripts.Script script, int slot, boolean idempotent, byte[][] keys, byte[]... args) {
        byte[][] argv = new byte[3 + keys.length + args.length][];
        argv[0] = EVALSHA;
        argv[1] = script.sha();
        argv[2] = bytes(Integer.toString(keys.length));
        System.arraycopy(keys, 0, argv, 3, keys.length);
        System.arraycopy(args, 0, argv, 3 + keys.length, args.length);
        Object reply = router.call(slot, idempotent, argv);
        if (reply instanceof Connection.ErrorReply err && err.startsWith("NOSCRIPT")) {
            // a node that has not seen the script yet (a new master after failover): EVAL sends and caches it
            argv[0] = EVAL;
            argv[1] = script.text();
            reply = router.call(slot, idempotent, argv);
        }
        return reply;
    }

    /** Runs an entry script; a data-model error becomes its typed exception. */
    private Object run(Scripts.Script script, String alias, boolean idempotent, byte[]... args) {
        EntryKeys k = EntryKeys.of(alias);
        Object reply = eval(script, k.slot(), idempotent, k.keys(), args);
        if (reply instanceof Connection.ErrorReply err) {
            throw error(err.message(), alias, wantedType(script, args), args.length > 0 ? args[0] : null, args);
        }
        return reply;
    }

    /** @return the entry type a script works on, for the message of a type mismatch */
    private static String wantedType(Scripts.Script script, byte[][] args) {
        if (script == Scripts.ADD) {
            return "2";
        }
        if (script == Scripts.PUSH || script == Scripts.POP || script.name().startsWith("deque-")) {
            return "3";
        }
        if (script.name().startsWith("set-") && script != Scripts.SET_EXPIRY) {
            return "4";
        }
        return args.length > 0 ? new String(args[0], StandardCharsets.US_ASCII) : "?";
    }

    private static RuntimeException error(String message, String alias, String wanted, byte[] first, byte[][] args) {
        if (message.startsWith("LPKV ")) {
            String[] p = message.split(" ");
            String code = p[1];
            String detail = p.length > 2 ? p[2] : "";
            return switch (code) {
                case "NOTFOUND" -> new AliasNotFoundException("alias '" + alias + "' not found");
                case "EXISTS" -> new AliasAlreadyExistsException("alias '" + alias + "' already exists ("
                        + typeName(detail) + "): use update to replace it");
                case "TYPE" -> new IncompatibleTypeException("alias '" + alias + "' holds " + typeName(detail)
                        + ", not " + typeName(wanted));
                case "EMPTY" -> new EmptyContainerException("deque '" + alias + "' is empty");
                case "RANGE" -> new OutOfRangeException("index " + new String(first, StandardCharsets.UTF_8)
                        + " is out of range for deque '" + alias + "' of size " + detail);
                case "ELEM_EXISTS" -> new ElementAlreadyExistsException("set '" + alias
                        + "' already contains the element (" + (first == null ? 0 : first.length) + " bytes)");
                case "ELEM_NOTFOUND" -> new ElementNotFoundException("set '" + alias
                        + "' does not contain the element (" + (first == null ? 0 : first.length) + " bytes)");
                case "TAG_SET" -> new TagAlreadySetException("alias '" + alias + "' already has tag '"
                        + new String(args[1], StandardCharsets.UTF_8) + "'");
                case "TAG_NOTSET" -> new TagNotSetException("alias '" + alias + "' does not have tag '"
                        + new String(args[1], StandardCharsets.UTF_8) + "'");
                default -> new NativeException("the Redis backend's script reported '" + message + "'");
            };
        }
        if (message.contains("would overflow")) {
            return new OutOfRangeException("adding to integer '" + alias + "' would overflow a signed 64-bit value ("
                    + message + ")");
        }
        return new NativeException("Redis Cluster error on alias '" + alias + "': " + message);
    }

    private static String typeName(String t) {
        return switch (t) {
            case "1" -> "a blob";
            case "2" -> "an integer";
            case "3" -> "a deque";
            case "4" -> "a set";
            default -> "an entry of unknown type " + t;
        };
    }

    private static byte[] num(long n) {
        return bytes(Long.toString(n));
    }

    private static byte[] typeArg(byte type) {
        return bytes(Byte.toString(type));
    }

    private static byte[] flag(boolean b) {
        return bytes(b ? "1" : "0");
    }

    private static long asLong(Object reply) {
        if (reply instanceof Long l) {
            return l;
        }
        if (reply instanceof byte[] b) {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        }
        throw new NativeException("expected an integer reply from Redis, got " + describe(reply));
    }

    private static String describe(Object reply) {
        return reply == null ? "nil" : reply instanceof byte[] b ? b.length + " bytes" : reply.toString();
    }

    /** A payload as stored: an integer's 8 big-endian bytes become its decimal text. */
    private static byte[] encode(byte type, byte[] payload) {
        if (type != INTEGER) {
            return payload;
        }
        long v = 0;
        for (byte b : payload) {
            v = (v << 8) | (b & 0xFF);
        }
        return num(v);
    }

    private static byte[] decode(byte type, byte[] stored) {
        if (type != INTEGER) {
            return stored;
        }
        long v = Long.parseLong(new String(stored, StandardCharsets.US_ASCII));
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    // ---------------------------------------------------------------- blob and integer

    @Override
    public void write(String alias, byte type, byte[] payload, long expiry, boolean mustBeNew) {
        run(Scripts.WRITE, alias, false, typeArg(type), encode(type, payload), num(expiry), flag(mustBeNew));
    }

    /** Reads fields of the entry hash in one HMGET, checking existence and type. */
    private List<?> fields(String alias, byte type, String... fields) {
        EntryKeys k = EntryKeys.of(alias);
        byte[][] argv = new byte[3 + fields.length][];
        argv[0] = bytes("HMGET");
        argv[1] = k.entry();
        argv[2] = bytes("t");
        for (int i = 0; i < fields.length; i++) {
            argv[3 + i] = bytes(fields[i]);
        }
        return checkFields(router.call(k.slot(), true, argv), alias, type);
    }

    /** @return the HMGET reply's values (type first), having checked the entry exists and has the type */
    private static List<?> checkFields(Object reply, String alias, byte type) {
        if (reply instanceof Connection.ErrorReply err) {
            throw error(err.message(), alias, "?", null, new byte[0][]);
        }
        List<?> values = (List<?>) reply;
        if (values.get(0) == null) {
            throw new AliasNotFoundException("alias '" + alias + "' not found");
        }
        String t = new String((byte[]) values.get(0), StandardCharsets.US_ASCII);
        if (!t.equals(Byte.toString(type))) {
            throw new IncompatibleTypeException("alias '" + alias + "' holds " + typeName(t) + ", not "
                    + typeName(Byte.toString(type)));
        }
        return values;
    }

    @Override
    public byte[] read(String alias, byte type) {
        return decode(type, (byte[]) fields(alias, type, "v").get(1));
    }

    @Override
    public long expiry(String alias, byte type) {
        return asLong(fields(alias, type, "x").get(1));
    }

    @Override
    public void setExpiry(String alias, byte type, long expiry) {
        run(Scripts.SET_EXPIRY, alias, false, typeArg(type), num(expiry));
    }

    @Override
    public long add(String alias, long delta) {
        return asLong(run(Scripts.ADD, alias, false, num(delta)));
    }

    @Override
    public boolean compareAndSwap(String alias, byte type, byte[] expected, byte[] replacement) {
        return asLong(run(Scripts.CAS, alias, false, typeArg(type), encode(type, expected),
                encode(type, replacement))) == 1;
    }

    /**
     * Optimistic: reads, applies {@code update}, then swaps only if the entry still holds what was read, and
     * repeats otherwise (so {@code update} may run more than once under contention), within the operation timeout.
     */
    @Override
    public byte[] getAndUpdate(String alias, byte type, UnaryOperator<byte[]> update, UnaryOperator<byte[]> check) {
        long deadline = System.nanoTime() + operationTimeoutMillis * 1_000_000L;
        while (true) {
            byte[] old = read(alias, type);
            byte[] replacement = check.apply(update.apply(old.clone()));
            if (compareAndSwap(alias, type, old, replacement)) {
                return old;
            }
            if (System.nanoTime() > deadline) {
                throw new KvTimeoutException("getAndUpdate of '" + alias + "' lost the race to other writers for the "
                        + "whole operation timeout of " + operationTimeoutMillis + " ms");
            }
        }
    }

    @Override
    public void remove(String alias, byte type) {
        Object tags = run(Scripts.REMOVE, alias, false, typeArg(type));
        unlink(alias, (List<?>) tags, 0);
    }

    /** Removes the index side of the links the entry side just dropped: pairs (tag, generation) from {@code from}. */
    private void unlink(String alias, List<?> pairs, int from) {
        for (int i = from; i + 1 < pairs.size(); i += 2) {
            unindex(new String((byte[]) pairs.get(i), StandardCharsets.UTF_8), alias, (byte[]) pairs.get(i + 1));
        }
    }

    private void unindex(String tag, String alias, byte[] generation) {
        byte[] idx = indexKey(tag);
        eval(Scripts.INDEX_REMOVE_IF, Slots.of(idx), true, new byte[][] {idx}, bytes(alias), generation);
    }

    // ---------------------------------------------------------------- deque

    @Override
    public long push(String alias, byte[] element, boolean front) {
        return asLong(run(Scripts.PUSH, alias, false, element, flag(front)));
    }

    @Override
    public byte[] pop(String alias, boolean front) {
        return (byte[]) run(Scripts.POP, alias, false, flag(front));
    }

    @Override
    public byte[] dequeEnd(String alias, boolean front) {
        return (byte[]) run(Scripts.DEQUE_END, alias, true, flag(front));
    }

    @Override
    public byte[] dequeGet(String alias, long index) {
        return (byte[]) run(Scripts.DEQUE_GET, alias, true, num(index));
    }

    @Override
    public void dequeSet(String alias, long index, byte[] element) {
        run(Scripts.DEQUE_SET, alias, false, num(index), element);
    }

    @Override
    public long dequeSize(String alias) {
        return asLong(run(Scripts.DEQUE_SIZE, alias, true));
    }

    @Override
    public List<byte[]> dequeElements(String alias) {
        return byteList(run(Scripts.DEQUE_ELEMENTS, alias, true));
    }

    private static List<byte[]> byteList(Object reply) {
        List<byte[]> out = new ArrayList<>();
        for (Object o : (List<?>) reply) {
            out.add((byte[]) o);
        }
        return out;
    }

    // ---------------------------------------------------------------- set

    @Override
    public void setInsert(String alias, byte[] element) {
        run(Scripts.SET_INSERT, alias, false, element);
    }

    @Override
    public void setErase(String alias, byte[] element) {
        run(Scripts.SET_ERASE, alias, false, element);
    }

    @Override
    public boolean setContains(String alias, byte[] element) {
        return asLong(run(Scripts.SET_CONTAINS, alias, true, element)) == 1;
    }

    @Override
    public long setSize(String alias) {
        return asLong(run(Scripts.SET_SIZE, alias, true));
    }

    @Override
    public List<byte[]> setMembers(String alias) {
        List<byte[]> members = byteList(run(Scripts.SET_MEMBERS, alias, true));
        members.sort(Arrays::compareUnsigned);
        return members;
    }

    // ---------------------------------------------------------------- tags

    private byte[] generation() {
        return bytes(clock.millis() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    private long generationMillis(byte[] generation) {
        String g = new String(generation, StandardCharsets.US_ASCII);
        int dash = g.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? g : g.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0; // not ours: old enough to repair
        }
    }

    @Override
    public void attachTag(String alias, byte type, String tag) {
        byte[] g = generation();
        byte[] idx = indexKey(tag);
        // index first: an entry that carries the tag is always in the index
        Object r = router.call(Slots.of(idx), true, bytes("HSET"), idx, bytes(alias), g);
        if (r instanceof Connection.ErrorReply err) {
            throw new NativeException("Redis Cluster error on tag '" + tag + "': " + err.message());
        }
        try {
            run(Scripts.TAG_ATTACH, alias, false, typeArg(type), bytes(tag), g);
        } catch (AliasNotFoundException e) {
            unindex(tag, alias, g);
            throw e;
        } catch (IncompatibleTypeException e) {
            // the entry may already carry the tag (the script then gave its link this generation): keep the member
            // then, and when the check itself fails, since a member too many is repaired later and one too few never
            EntryKeys k = EntryKeys.of(alias);
            Object carried = eval(Scripts.CARRIES, k.slot(), true, k.keys(), bytes(tag));
            if (carried == null || carried instanceof byte[] c && !Arrays.equals(c, g)) {
                unindex(tag, alias, g);
            }
            throw e;
        }
    }

    @Override
    public void detachTag(String alias, byte type, String tag) {
        byte[] g = (byte[]) run(Scripts.TAG_DETACH, alias, false, typeArg(type), bytes(tag));
        unindex(tag, alias, g);
    }

    @Override
    public boolean hasTag(String alias, byte type, String tag) {
        return asLong(run(Scripts.HAS_TAG, alias, true, typeArg(type), bytes(tag))) == 1;
    }

    @Override
    public List<String> tags(String alias, byte type) {
        List<byte[]> tags = byteList(run(Scripts.TAGS, alias, true, typeArg(type)));
        tags.sort(Arrays::compareUnsigned);
        List<String> out = new ArrayList<>(tags.size());
        for (byte[] t : tags) {
            out.add(new String(t, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public List<String> entries(String tag) {
        byte[] idx = indexKey(tag);
        Object r = router.call(Slots.of(idx), true, bytes("HGETALL"), idx);
        if (r instanceof Connection.ErrorReply err) {
            throw new NativeException("Redis Cluster error on tag '" + tag + "': " + err.message());
        }
        List<?> pairs = (List<?>) r;
        TreeSet<byte[]> live = new TreeSet<>(Arrays::compareUnsigned);
        long now = clock.millis();
        // every member checked at once, pipelined per node
        List<CompletableFuture<Object>> checks = new ArrayList<>(pairs.size() / 2);
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            EntryKeys k = EntryKeys.of(new String((byte[]) pairs.get(i), StandardCharsets.UTF_8));
            checks.add(evalAsync(Scripts.CARRIES, k.slot(), true, k.keys(), bytes(tag)));
        }
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            byte[] a = (byte[]) pairs.get(i);
            byte[] g = (byte[]) pairs.get(i + 1);
            String alias = new String(a, StandardCharsets.UTF_8);
            Object carries = await(checks.get(i / 2));
            if (carries instanceof Connection.ErrorReply err) {
                throw new NativeException("Redis Cluster error on alias '" + alias + "': " + err.message());
            }
            if (carries != null) {
                live.add(a);
            } else if (now - generationMillis(g) > repairGraceMillis) {
                unindex(tag, alias, g);
            }
        }
        List<String> out = new ArrayList<>(live.size());
        for (byte[] a : live) {
            out.add(new String(a, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---------------------------------------------------------------- keyspace

    @Override
    public byte typeOf(String alias) {
        EntryKeys k = EntryKeys.of(alias);
        return typeReply(router.call(k.slot(), true, bytes("HGET"), k.entry(), bytes("t")), alias);
    }

    private static byte typeReply(Object r, String alias) {
        if (r instanceof Connection.ErrorReply err) {
            throw error(err.message(), alias, "?", null, new byte[0][]);
        }
        return r == null ? 0 : Byte.parseByte(new String((byte[]) r, StandardCharsets.US_ASCII));
    }

    /**
     * Scans every master ({@code SCAN ... MATCH}) and sorts: O(keyspace) per page, where RocksDB seeks. Aliases
     * are read from the entry keys' names, whose hash-tag part ends at the first <code>}</code>.
     */
    @Override
    public List<String> aliases(String prefix, String startAfter, int limit, boolean[] more) {
        byte[] pattern = ("{*}e:" + globEscape(prefix) + "*").getBytes(StandardCharsets.UTF_8);
        byte[] after = startAfter == null ? null : bytes(startAfter);
        byte[] p = bytes(prefix);
        TreeSet<byte[]> found = new TreeSet<>(Arrays::compareUnsigned);
        for (String node : router.masters()) {
            byte[] cursor = bytes("0");
            do {
                Object r = router.call(-1, true, node, bytes("SCAN"), cursor, bytes("MATCH"), pattern,
                        bytes("COUNT"), bytes("1000"));
                if (r instanceof Connection.ErrorReply err) {
                    throw new NativeException("SCAN on Redis node " + node + " failed: " + err.message());
                }
                List<?> page = (List<?>) r;
                cursor = (byte[]) page.get(0);
                for (Object o : (List<?>) page.get(1)) {
                    byte[] key = (byte[]) o;
                    int close = indexOf(key, (byte) '}', 0);
                    if (key[0] != '{' || close < 0 || close + 2 >= key.length || key[close + 1] != 'e'
                            || key[close + 2] != ':') {
                        continue;
                    }
                    byte[] alias = Arrays.copyOfRange(key, close + 3, key.length);
                    if (alias.length == 0 || !startsWith(alias, p)
                            || (after != null && Arrays.compareUnsigned(alias, after) <= 0)) {
                        continue;
                    }
                    found.add(alias);
                }
            } while (!(cursor.length == 1 && cursor[0] == '0'));
        }
        List<String> out = new ArrayList<>(Math.min(limit, found.size()));
        for (byte[] a : found) {
            if (out.size() == limit) {
                break;
            }
            out.add(new String(a, StandardCharsets.UTF_8));
        }
        more[0] = found.size() > limit;
        return out;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String globEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * One read per alias, all in flight at once (pipelined per node): each is atomic, the whole is not one point
     * in time (docs/kv.md).
     */
    @Override
    public List<byte[]> multiGet(List<String> aliases) {
        List<CompletableFuture<Object>> replies = new ArrayList<>(aliases.size());
        for (String alias : aliases) {
            EntryKeys k = EntryKeys.of(alias);
            replies.add(router.callAsync(k.slot(), true, bytes("HMGET"), k.entry(), bytes("t"), bytes("v")));
        }
        List<byte[]> out = new ArrayList<>(aliases.size());
        String incompatible = null;
        for (int i = 0; i < aliases.size(); i++) {
            String alias = aliases.get(i);
            Object r = await(replies.get(i));
            if (r instanceof Connection.ErrorReply err) {
                throw error(err.message(), alias, "?", null, new byte[0][]);
            }
            List<?> v = (List<?>) r;
            if (v.get(0) == null) {
                out.add(null);
                continue;
            }
            String t = new String((byte[]) v.get(0), StandardCharsets.US_ASCII);
            if (!t.equals("1") && incompatible == null) {
                incompatible = "alias '" + alias + "' holds " + typeName(t) + ", not a blob";
            }
            out.add((byte[]) v.get(1));
        }
        if (incompatible != null) {
            throw new IncompatibleTypeException(incompatible);
        }
        return out;
    }

    /** Waits for a pipelined command; its typed exception is rethrown as itself. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Atomic when every alias shares one slot (one script, checked in full before anything is written);
     * otherwise refused with {@link CrossSlotException} before anything is written.
     */
    @Override
    public void batch(List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        Map<Integer, String> slots = new LinkedHashMap<>();
        byte[][] keys = new byte[ops.size() * 4][];
        byte[][] args = new byte[1 + ops.size() * 5][];
        args[0] = num(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            BatchOp op = ops.get(i);
            EntryKeys k = EntryKeys.of(op.alias());
            slots.putIfAbsent(k.slot(), op.alias());
            System.arraycopy(k.keys(), 0, keys, i * 4, 4);
            int b = 1 + i * 5;
            byte[] empty = new byte[0];
            switch (op.kind()) {
                case WRITE -> {
                    args[b] = bytes("W");
                    args[b + 2] = encode(op.type(), op.payload());
                }
                case ADD -> {
                    args[b] = bytes("A");
                    args[b + 2] = num(op.delta());
                }
                case PUSH -> {
                    args[b] = bytes("P");
                    args[b + 2] = op.payload();
                }
                case SET_INSERT -> {
                    args[b] = bytes("I");
                    args[b + 2] = op.payload();
                }
                case REMOVE -> {
                    args[b] = bytes("R");
                    args[b + 2] = empty;
                }
            }
            args[b + 1] = typeArg(op.type());
            args[b + 3] = num(op.kind() == BatchOp.Kind.WRITE ? Math.max(op.expiry(), 0) : 0);
            args[b + 4] = flag(op.flag());
        }
        if (slots.size() > 1) {
            throw new CrossSlotException("a batch on Redis Cluster is atomic only when all its aliases share one hash "
                    + "slot; these span " + slots.size() + " slots (" + String.join(", ", slots.values().stream()
                    .limit(4).map(a -> "'" + a + "'").toList()) + (slots.size() > 4 ? ", ..." : "")
                    + "): give related aliases a common hash tag, such as {user42}.name and {user42}.cart");
        }
        Object reply = eval(Scripts.BATCH, slots.keySet().iterator().next(), false, keys, args);
        if (reply instanceof Connection.ErrorReply err) {
            String m = err.message();
            int at = m.lastIndexOf(" @");
            if (m.startsWith("LPKV ") && at > 0) {
                BatchOp op = ops.get(Integer.parseInt(m.substring(at + 2)) - 1);
                String wanted = switch (op.kind()) {
                    case WRITE -> Byte.toString(op.type());
                    case ADD -> "2";
                    case PUSH -> "3";
                    case SET_INSERT -> "4";
                    case REMOVE -> "?";
                };
                throw error(m.substring(0, at), op.alias(), wanted, op.payload(), new byte[0][]);
            }
            throw error(m, ops.getFirst().alias(), "?", null, new byte[0][]);
        }
        List<?> removed = (List<?>) reply;
        for (int i = 0; i + 2 < removed.size(); i += 3) {
            String alias = ops.get(Integer.parseInt(new String((byte[]) removed.get(i), StandardCharsets.US_ASCII)) - 1)
                    .alias();
            unindex(new String((byte[]) removed.get(i + 1), StandardCharsets.UTF_8), alias, (byte[]) removed.get(i + 2));
        }
    }

    /** @return null: Redis Cluster has no RocksDB properties */
    @Override
    public String property(String name) {
        return null;
    }

    /** @return null: the driver's own counters ({@code Cluster.stats()}) are the statistics on Redis */
    @Override
    public String statistics() {
        return null;
    }

    @Override
    public String toString() {
        return "RedisBackend[" + name + "]";
    }
}
