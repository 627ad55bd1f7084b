package dev.leakproof.kv.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.leakproof.core.Tracked;
import dev.leakproof.kv.AliasAlreadyExistsException;
import dev.leakproof.kv.AliasNotFoundException;
import dev.leakproof.kv.ElementAlreadyExistsException;
import dev.leakproof.kv.ElementNotFoundException;
import dev.leakproof.kv.EmptyContainerException;
import dev.leakproof.kv.IncompatibleTypeException;
import dev.leakproof.kv.OutOfRangeException;
import dev.leakproof.kv.TagAlreadySetException;
import dev.leakproof.kv.TagNotSetException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The 2015 addon's data model on a RocksDB {@code TransactionDB}.
 *
 * <p>Design note. Every write but the point write runs in a pessimistic transaction that first locks the entry key
 * with {@code get_for_update}: operations on one alias are serialized by RocksDB's own lock manager (striped
 * per key, with a timeout), operations on different aliases run in parallel, and each operation commits
 * all its keys (entry, elements, both tag links) atomically. The point write (a blob's or integer's put and
 * update, one key) skips the transaction when no transaction holds the entry's stripe ({@link EntryStripes}). {@code add} reads the integer under its lock
 * and writes the sum. No Java code is ever called back from RocksDB: a merge operator or a compaction filter
 * written in Java is an upcall, and RocksDB makes those on its own background threads (flush, compaction),
 * which the upcall attaches to the JVM for good; at {@code System.exit} RocksDB's static teardown joins those
 * threads while each waits forever to detach from the exiting VM, and the process hangs (docs/kv.md). Reads
 * of a single key go straight to the database. Expired entries are purged on access (the read that finds one
 * deletes it and its links in a transaction, and every path treats it as absent) and by sweeps
 * ({@link #expiredAliases}, {@link #purgeIfExpired}). The key layout is in {@link Keys}.
 *
 * <p>Per-operation buffers (keys, length and error slots) live in a confined arena closed by
 * try-with-resources, so they cannot leak; the point read ({@link #read(byte[], String, byte)}) and the point write
 * use a per-thread buffer instead, for speed. Every object and value the C API returns has one owner (an
 * {@link Owned}; on the hot path the point read's and point write's values are owned by hand in {@code take} and
 * {@code takeHeader}), is released on every path and is tracked through leakproof-core under a {@code rocksdb-*}
 * kind, so a forgotten release is a culprit with its site.
 */
@SuppressWarnings("restricted") // sizing the values RocksDB returns
public final class Store implements Backend {
    private static final int HEADER = 9;
    /** A big-endian long at any offset, as the entry header stores its expiry. */
    private static final java.lang.foreign.ValueLayout.OfLong BE_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG.withOrder(java.nio.ByteOrder.BIG_ENDIAN).withByteAlignment(1);

    private final String path;
    // the owners, in order of creation; close releases them in reverse
    private final Owned optionsOwner;
    private final Owned txnDbOptionsOwner;
    private final Owned dbOwner;
    private final Owned baseDbOwner;
    private final Owned writeOptionsOwner;
    private final Owned readOptionsOwner;
    private final Owned txnOptionsOwner;
    // their pointers, read on every call
    private final MemorySegment db;
    /** The database under {@link #db}, for the point write (see {@link EntryStripes}). */
    private final MemorySegment baseDb;
    private final EntryStripes stripes = new EntryStripes();
    private final MemorySegment options;
    private final MemorySegment writeOptions;
    private final MemorySegment readOptions;
    private final MemorySegment txnOptions;
    private final InstantSource clock;
    private boolean closed;

    private final boolean statistics;

    private Store(Path dir, boolean sync, long lockTimeoutMillis, InstantSource clock, boolean statistics) {
        this.statistics = statistics;
        this.path = dir.toAbsolutePath().toString();
        this.clock = clock;
        // a failure at any step releases what the steps before it made, in reverse order
        try (Owned opts = Owned.of(Rocks.optionsCreate(statistics), NativeKinds.OPTIONS.track(0, null),
                     Rocks::optionsDestroy, InjectedLeaks.Leak.OPEN_CLOSE);
             Owned tdbOpts = Owned.of(Rocks.txnDbOptionsCreate(lockTimeoutMillis),
                     NativeKinds.TXNDB_OPTIONS.track(0, null), Rocks::txnDbOptionsDestroy);
             Owned opened = Owned.of(open(opts.get(), tdbOpts.get(), path), NativeKinds.DB.track(0, null),
                     Rocks::txnDbClose);
             Owned base = Owned.of(Rocks.txnDbGetBaseDb(opened.get()), NativeKinds.BASE_DB.track(0, null),
                     Rocks::txnDbCloseBaseDb);
             Owned wo = Owned.of(Rocks.writeOptionsCreate(sync), NativeKinds.WRITE_OPTIONS.track(0, null),
                     Rocks::writeOptionsDestroy);
             Owned ro = Owned.of(Rocks.readOptionsCreate(), NativeKinds.READ_OPTIONS.track(0, null),
                     Rocks::readOptionsDestroy);
             Owned txo = Owned.of(Rocks.txnOptionsCreate(lockTimeoutMillis), NativeKinds.TXN_OPTIONS.track(0, null),
                     Rocks::txnOptionsDestroy)) {
            this.optionsOwner = opts.transfer();
            this.txnDbOptionsOwner = tdbOpts.transfer();
            this.dbOwner = opened.transfer();
            this.baseDbOwner = base.transfer();
            this.writeOptionsOwner = wo.transfer();
            this.readOptionsOwner = ro.transfer();
            this.txnOptionsOwner = txo.transfer();
        }
        this.options = optionsOwner.get();
        this.db = dbOwner.get();
        this.baseDb = baseDbOwner.get();
        this.writeOptions = writeOptionsOwner.get();
        this.readOptions = readOptionsOwner.get();
        this.txnOptions = txnOptionsOwner.get();
    }

    private static MemorySegment open(MemorySegment options, MemorySegment txnDbOptions, String path) {
        try (Arena a = Arena.ofConfined()) {
            return Rocks.txnDbOpen(options, txnDbOptions, a.allocateFrom(path), Rocks.errSlot(a));
        }
    }

    /**
     * @param dir               database directory (created if missing)
     * @param sync              fsync the WAL on every commit
     * @param lockTimeoutMillis how long a transaction waits for a key lock
     * @param clock             what expiry is judged against
     * @param statistics        collect RocksDB's statistics (tickers and histograms; costs a little per call)
     * @return the open store
     * @throws dev.leakproof.kv.DatabaseInUseException if another process (or open store) holds the directory
     * @throws dev.leakproof.kv.NativeException        if RocksDB cannot open the directory
     */
    public static Store open(Path dir, boolean sync, long lockTimeoutMillis, InstantSource clock,
                             boolean statistics) {
        return new Store(dir, sync, lockTimeoutMillis, clock, statistics);
    }

    /**
     * Closes the database and releases every native object, in reverse order of creation: the transaction,
     * read and write options, the database, then the options it was opened with. The caller guarantees no
     * operation runs. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (optionsOwner; txnDbOptionsOwner; dbOwner; baseDbOwner; writeOptionsOwner; readOptionsOwner;
             txnOptionsOwner) {
            // closed in reverse order: transaction and read options, write options, the base-database handle,
            // the database, then its options
        }
    }

    // ---------------------------------------------------------------- transactions

    @FunctionalInterface
    interface Body<T> {
        T run(Txn t);
    }

    private <T> T write(Body<T> body) {
        try (Arena a = Arena.ofConfined();
             Owned owned = Owned.of(Rocks.txnBegin(db, writeOptions, txnOptions), NativeKinds.TRANSACTION.track(0, null),
                     Rocks::txnDestroy)) {
            MemorySegment txn = owned.get();
            Txn t = new Txn(txn, a);
            boolean committed = false;
            try {
                T result = body.run(t);
                Rocks.txnCommit(txn, t.err);
                committed = true;
                return result;
            } finally {
                try {
                    if (!committed) {
                        try {
                            Rocks.txnRollback(txn, t.err);
                        } catch (RuntimeException suppressed) {
                            // the original error matters more; a failed rollback is released with the txn
                        }
                    }
                } finally {
                    t.exitStripes(); // after the commit: a point write never lands between its read and write
                }
            }
        }
    }

    /** One transaction's calls, with the op's scratch memory. */
    final class Txn {
        final MemorySegment txn;
        final Arena a;
        final MemorySegment err;
        final MemorySegment len;

        /** The stripes this transaction entered, {@link #entered} of them. */
        private int[] stripesIn = new int[4];
        private int entered;

        Txn(MemorySegment txn, Arena a) {
            this.txn = txn;
            this.a = a;
            this.err = Rocks.errSlot(a);
            this.len = a.allocate(Rocks.SIZE_T);
        }

        /** Locks a key and reads it; an entry key's stripe is entered first (see {@link EntryStripes}). */
        byte[] lock(byte[] key) {
            if (key.length > 0 && key[0] == Keys.ENTRY) {
                int stripe = EntryStripes.of(key);
                if (entered == stripesIn.length) {
                    stripesIn = Arrays.copyOf(stripesIn, entered * 2);
                }
                stripes.enter(stripe);
                stripesIn[entered++] = stripe;
            }
            return take(Rocks.txnGetForUpdate(txn, readOptions, seg(a, key), len, true, err), len);
        }

        void exitStripes() {
            while (entered > 0) {
                stripes.exit(stripesIn[--entered]);
            }
        }

        byte[] get(byte[] key) {
            return take(Rocks.txnGet(txn, readOptions, seg(a, key), len, err), len);
        }

        void put(byte[] key, byte[] value) {
            Rocks.txnPut(txn, seg(a, key), seg(a, value), err);
        }

        void delete(byte[] key) {
            Rocks.txnDelete(txn, seg(a, key), err);
        }

        List<byte[]> suffixes(byte[] prefix) {
            return scan(a, txn, prefix);
        }

        /** @return the values of all keys starting with {@code prefix}, in key order */
        List<byte[]> values(byte[] prefix) {
            List<byte[]> out = new ArrayList<>();
            scan(a, txn, prefix, Keys.upperBound(prefix), (k, v) -> {
                out.add(v.toArray(JAVA_BYTE));
                return true;
            });
            return out;
        }
    }

    private static MemorySegment seg(Arena a, byte[] bytes) {
        return bytes.length == 0 ? a.allocate(1).asSlice(0, 0) : a.allocateFrom(JAVA_BYTE, bytes);
    }

    /** Copies a value RocksDB malloc'd, then frees it. */
    private static byte[] take(MemorySegment value, MemorySegment len) {
        if (value.address() == 0) {
            return null;
        }
        long n = len.get(Rocks.SIZE_T_LONG, 0);
        try (Owned owned = Owned.of(value, NativeKinds.VALUE.track(n, null), Rocks::free,
                InjectedLeaks.Leak.NATIVE_RESULT)) {
            return owned.get().reinterpret(n).toArray(JAVA_BYTE);
        }
    }

    /** @return the suffixes of all keys starting with {@code prefix}, in key order */
    private List<byte[]> scan(Arena a, MemorySegment txn, byte[] prefix) {
        List<byte[]> out = new ArrayList<>();
        scan(a, txn, prefix, Keys.upperBound(prefix), (k, v) -> {
            out.add(k.asSlice(prefix.length).toArray(JAVA_BYTE));
            return true;
        });
        return out;
    }

    /** Sees one key and value of a scan, both borrowed until the iterator moves. */
    @FunctionalInterface
    private interface Visitor {
        /** @return whether to go on */
        boolean visit(MemorySegment key, MemorySegment value);
    }

    /**
     * Visits the keys from {@code seek} (inclusive) to {@code upperBound} (exclusive) in order, in a transaction
     * or not. (Named scan like its callers: the replayed iterator leak names {@code Store.scan} as its site.)
     */
    private void scan(Arena a, MemorySegment txn, byte[] seek, byte[] upperBound, Visitor visitor) {
        // the bound lives in the op's arena, which outlives both the read options and the iterator
        try (Owned ro = Owned.of(Rocks.readOptionsCreate(), NativeKinds.READ_OPTIONS.track(0, null),
                     Rocks::readOptionsDestroy, InjectedLeaks.Leak.ITERATOR);
             Owned it = Owned.of(iterator(txn, bounded(ro.get(), seg(a, upperBound))),
                     NativeKinds.ITERATOR.track(0, null), Rocks::iterDestroy)) {
            MemorySegment i = it.get();
            MemorySegment klen = a.allocate(Rocks.SIZE_T);
            MemorySegment vlen = a.allocate(Rocks.SIZE_T);
            for (Rocks.iterSeek(i, seg(a, seek)); Rocks.iterValid(i); Rocks.iterNext(i)) {
                if (!visitor.visit(Rocks.iterKey(i, klen), Rocks.iterValue(i, vlen))) {
                    return;
                }
            }
            Rocks.iterCheck(i, Rocks.errSlot(a));
        }
    }

    private static MemorySegment bounded(MemorySegment readOptions, MemorySegment upperBound) {
        Rocks.readOptionsSetUpperBound(readOptions, upperBound);
        return readOptions;
    }

    private MemorySegment iterator(MemorySegment txn, MemorySegment readOptions) {
        return txn == null ? Rocks.txnDbCreateIterator(db, readOptions) : Rocks.txnCreateIterator(txn, readOptions);
    }

    // ---------------------------------------------------------------- entries

    /** @return the type's name with its article: "a blob", "an integer" */
    private static String typeName(byte type) {
        return switch (type) {
            case BLOB -> "a blob";
            case INTEGER -> "an integer";
            case DEQUE -> "a deque";
            case SET -> "a set";
            default -> "an entry of unknown type " + type;
        };
    }

    private static boolean expired(byte[] v, long now) {
        long e = Keys.getLong(v, 1);
        return e != NEVER && e <= now;
    }

    private static AliasNotFoundException notFound(String alias) {
        return new AliasNotFoundException("alias '" + alias + "' not found");
    }

    private static void checkType(String alias, byte[] v, byte type) {
        if (v[0] != type) {
            throw new IncompatibleTypeException("alias '" + alias + "' holds " + typeName(v[0]) + ", not "
                    + typeName(type));
        }
    }

    private static byte[] header(byte type, long expiry, byte[] payload) {
        byte[] v = new byte[HEADER + payload.length];
        v[0] = type;
        Keys.putLong(v, 1, expiry);
        System.arraycopy(payload, 0, v, HEADER, payload.length);
        return v;
    }

    private static byte[] payload(byte[] v) {
        return Arrays.copyOfRange(v, HEADER, v.length);
    }

    /** Locks and reads the entry; an expired one is purged in this transaction and reads as absent. */
    private byte[] lockEntry(Txn t, byte[] alias) {
        byte[] v = t.lock(Keys.entry(alias));
        if (v != null && expired(v, clock.millis())) {
            purge(t, alias, v[0]);
            return null;
        }
        return v;
    }

    private byte[] lockExisting(Txn t, String alias, byte[] a, byte type) {
        byte[] v = lockEntry(t, a);
        if (v == null) {
            throw notFound(alias);
        }
        checkType(alias, v, type);
        return v;
    }

    /** Deletes an entry, its elements and both sides of its tag links. */
    private static void purge(Txn t, byte[] alias, byte type) {
        t.delete(Keys.entry(alias));
        for (byte[] tag : t.suffixes(Keys.prefix(Keys.ALIAS_TO_TAG, alias))) {
            t.delete(Keys.composite(Keys.ALIAS_TO_TAG, alias, tag));
            t.delete(Keys.composite(Keys.TAG_TO_ALIAS, tag, alias));
        }
        if (type == DEQUE || type == SET) {
            byte kind = type == DEQUE ? Keys.DEQUE_ELEMENT : Keys.SET_ELEMENT;
            for (byte[] suffix : t.suffixes(Keys.prefix(kind, alias))) {
                t.delete(Keys.composite(kind, alias, suffix));
            }
        }
    }

    /** Reads an entry outside any transaction; an expired one is purged and reads as absent. */
    private byte[] readEntry(String alias, byte[] a) {
        byte[] v;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocate(Rocks.SIZE_T);
            v = take(Rocks.txnDbGet(db, readOptions, seg(arena, Keys.entry(a)), len, Rocks.errSlot(arena)), len);
        }
        if (v != null && expired(v, clock.millis())) {
            write(t -> lockEntry(t, a)); // purges if still expired
            return null;
        }
        return v;
    }

    private byte[] readExisting(String alias, byte type) {
        byte[] v = readEntry(alias, Keys.utf8(alias));
        if (v == null) {
            throw notFound(alias);
        }
        checkType(alias, v, type);
        return v;
    }

    /**
     * Creates or replaces a blob or integer.
     *
     * @param mustBeNew true for put (fails if the alias exists), false for update
     * @param expiry    millis since the epoch, {@link #NEVER}, or {@link #PRESERVE} (update)
     */
    public void write(String alias, byte type, byte[] payload, long expiry, boolean mustBeNew) {
        byte[] key = entryKey(alias);
        if (!pointWrite(key, alias, type, payload, expiry, mustBeNew)) {
            write(t -> writeIn(t, alias, type, payload, expiry, mustBeNew));
        }
    }

    /**
     * The point write, made for speed (issue 12): when no transaction holds the entry's stripe, the entry is read
     * and written on the base database under the stripe ({@link EntryStripes}), without a transaction: one
     * {@code rocksdb_put}, the same write options, the same checks as {@link #writeIn}.
     *
     * @return false if it could not take the stripe, or found the entry expired (purging its tag links takes a
     *         transaction): the caller then writes in one
     */
    private boolean pointWrite(byte[] key, String alias, byte type, byte[] payload, long expiry, boolean mustBeNew) {
        int stripe = EntryStripes.of(key);
        if (!stripes.tryWrite(stripe)) {
            return false;
        }
        try {
            Scratch s = Scratch.of(key);
            MemorySegment value = pointGet(s, key.length);
            byte[] old = value.address() == 0 ? null : takeHeader(value, s.len.get(Rocks.SIZE_T_LONG, 0), alias);
            if (old != null && expired(old, clock.millis())) {
                return false;
            }
            long e = expiryToWrite(alias, old, type, expiry, mustBeNew);
            long n = HEADER + (long) payload.length;
            try (Arena a = n <= Scratch.VALUE_BYTES ? null : Arena.ofConfined()) {
                MemorySegment v = a == null ? s.value.asSlice(0, n) : a.allocate(n);
                v.set(JAVA_BYTE, 0, type);
                v.set(BE_LONG, 1, e);
                MemorySegment.copy(payload, 0, v, JAVA_BYTE, HEADER, payload.length);
                Rocks.put(baseDb, writeOptions, s.key.asSlice(0, key.length), v, s.err);
            }
            return true;
        } finally {
            stripes.endWrite(stripe);
        }
    }

    /**
     * The checks of a blob's or integer's put and update, on both write paths.
     *
     * @param old the live entry's value (at least its header), or null when there is none
     * @return the expiry to write: {@code expiry}, or the entry's own for {@link #PRESERVE} ({@link #NEVER} if new)
     * @throws AliasAlreadyExistsException if {@code mustBeNew} and the entry exists
     * @throws IncompatibleTypeException   if the entry holds another type
     */
    private static long expiryToWrite(String alias, byte[] old, byte type, long expiry, boolean mustBeNew) {
        if (old == null) {
            return expiry == PRESERVE ? NEVER : expiry;
        }
        if (mustBeNew) {
            throw new AliasAlreadyExistsException("alias '" + alias + "' already exists (" + typeName(old[0])
                    + "): use update to replace it");
        }
        checkType(alias, old, type);
        return expiry == PRESERVE ? Keys.getLong(old, 1) : expiry;
    }

    private Void writeIn(Txn t, String alias, byte type, byte[] payload, long expiry, boolean mustBeNew) {
        byte[] a = Keys.utf8(alias);
        {
            byte[] old = lockEntry(t, a);
            t.put(Keys.entry(a), header(type, expiryToWrite(alias, old, type, expiry, mustBeNew), payload));
            return null;
        }
    }

    /** @return the payload of a blob or integer */
    public byte[] read(String alias, byte type) {
        return read(entryKey(alias), alias, type);
    }

    /** @return the key of the entry under {@code alias}, for {@link #read(byte[], String, byte)} */
    public static byte[] entryKey(String alias) {
        return Keys.entry(Keys.utf8(alias));
    }

    @Override
    public byte[] encodeKey(String alias) {
        return entryKey(alias);
    }

    /**
     * The point read, made for speed (issue 12): the key goes to a per-thread native buffer (no arena, no
     * allocation per call), one {@code rocksdb_transactiondb_get}, the payload copied once from RocksDB's value
     * into the result array (the header is read in place), the value freed by a critical downcall.
     *
     * @param entryKey {@link #entryKey(String)} of {@code alias}
     * @return the payload of the live blob or integer
     * @throws AliasNotFoundException    if there is none (an expired one is purged)
     * @throws IncompatibleTypeException if the alias holds another type
     */
    @Override
    public byte[] read(byte[] entryKey, String alias, byte type) {
        Scratch s = Scratch.of(entryKey);
        MemorySegment value = pointGet(s, entryKey.length);
        if (value.address() == 0) {
            throw notFound(alias);
        }
        byte[] payload = take(value, s.len.get(Rocks.SIZE_T_LONG, 0), alias, type, clock);
        if (payload == null) {
            write(t -> lockEntry(t, Keys.utf8(alias))); // purges if still expired
            throw notFound(alias);
        }
        return payload;
    }

    /**
     * One get of the entry key in the thread's buffer, an ordinary downcall. (A critical one from memory only, the
     * block-cache read tier, measured no faster, and it held off safepoints for as long as RocksDB copied a large
     * value: tens of milliseconds for 64 MiB, docs/BENCHMARKS.md.)
     *
     * @return the value RocksDB malloc'd (the caller frees it; its length in {@code s.len}), or NULL when there is none
     */
    private MemorySegment pointGet(Scratch s, int keyLength) {
        return Rocks.txnDbGet(db, readOptions, s.key.asSlice(0, keyLength), s.len, s.err);
    }

    /**
     * Copies the payload of a value RocksDB malloc'd, after checking its header, then frees it.
     *
     * @return the payload, or null if the entry has expired
     */
    private static byte[] take(MemorySegment value, long n, String alias, byte type, InstantSource clock) {
        Tracked token = NativeKinds.VALUE.track(n, null);
        try {
            MemorySegment v = checkedHeader(value, n, alias);
            long expiry = v.get(BE_LONG, 1);
            // the clock is read only for an entry that can expire
            if (expiry != NEVER && expiry <= clock.millis()) {
                return null;
            }
            byte actual = v.get(JAVA_BYTE, 0);
            if (actual != type) {
                throw new IncompatibleTypeException("alias '" + alias + "' holds " + typeName(actual) + ", not "
                        + typeName(type));
            }
            byte[] payload = new byte[(int) (n - HEADER)];
            MemorySegment.copy(v, JAVA_BYTE, HEADER, payload, 0, payload.length);
            return payload;
        } finally {
            release(value, token);
        }
    }

    /** Copies the header of a value RocksDB malloc'd (type and expiry: {@link #HEADER} bytes), then frees it. */
    private static byte[] takeHeader(MemorySegment value, long n, String alias) {
        Tracked token = NativeKinds.VALUE.track(n, null);
        try {
            return checkedHeader(value, n, alias).asSlice(0, HEADER).toArray(JAVA_BYTE);
        } finally {
            release(value, token);
        }
    }

    private static MemorySegment checkedHeader(MemorySegment value, long n, String alias) {
        if (n < HEADER) {
            throw new IllegalStateException("entry '" + alias + "' is corrupt: " + n + " bytes, less than its header");
        }
        return value.reinterpret(n);
    }

    /**
     * Frees a value of the point read or write and closes its token. The values are owned by hand rather than by
     * an Owned: on the hot path its destructor and token calls are megamorphic call sites shared with every other
     * owner. Owned.close's rules are kept: free, then untrack, both skipped together by the NATIVE_RESULT switch.
     */
    private static void release(MemorySegment value, Tracked token) {
        if (!InjectedLeaks.skip(InjectedLeaks.Leak.NATIVE_RESULT)) {
            try {
                Rocks.freeCritical(value);
            } finally {
                token.close();
            }
        }
    }


    /**
     * A thread's native buffers for the point read and the point write: the key (room for the
     * longest entry key), a value of up to {@link #VALUE_BYTES}, the value-length slot and the error slot (NULL
     * between calls). Owned by an automatic arena: freed by the GC once the thread and its buffers are gone; a few
     * kilobytes per thread.
     */
    private static final class Scratch {
        /** The largest entry value (header included) the point write copies here rather than into an arena. */
        static final int VALUE_BYTES = 4096;
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);
        final MemorySegment key;
        final MemorySegment value;
        final MemorySegment len;
        final MemorySegment err;

        private Scratch() {
            Arena auto = Arena.ofAuto();
            key = auto.allocate(1 + dev.leakproof.kv.Cluster.MAX_NAME_BYTES);
            value = auto.allocate(VALUE_BYTES);
            len = auto.allocate(Rocks.SIZE_T);
            err = Rocks.errSlot(auto);
        }

        static Scratch of(byte[] entryKey) {
            Scratch s = OF_THREAD.get();
            MemorySegment.copy(entryKey, 0, s.key, JAVA_BYTE, 0, entryKey.length);
            return s;
        }
    }

    /** @return the expiry millis, or {@link #NEVER} */
    public long expiry(String alias, byte type) {
        return Keys.getLong(readExisting(alias, type), 1);
    }

    /** Sets the expiry of an existing blob or integer. */
    public void setExpiry(String alias, byte type, long expiry) {
        byte[] a = Keys.utf8(alias);
        write(t -> {
            byte[] v = lockExisting(t, alias, a, type);
            Keys.putLong(v, 1, expiry);
            t.put(Keys.entry(a), v);
            return null;
        });
    }

    /**
     * Adds atomically: the sum is computed here, under the entry's lock, and written whole (no merge operator,
     * hence no Java upcall on RocksDB's background threads: see the class comment). @return the new value
     */
    public long add(String alias, long delta) {
        return write(t -> addIn(t, alias, delta));
    }

    private long addIn(Txn t, String alias, long delta) {
        byte[] a = Keys.utf8(alias);
        byte[] v = lockExisting(t, alias, a, INTEGER);
        long updated = Keys.getLong(v, HEADER) + delta; // wraps like int64_t
        Keys.putLong(v, HEADER, updated);
        t.put(Keys.entry(a), v);
        return updated;
    }

    /** Removes the entry under {@code alias}, whatever its type, with its elements and tag links. */
    private Void removeAnyIn(Txn t, String alias) {
        byte[] a = Keys.utf8(alias);
        byte[] v = lockEntry(t, a);
        if (v == null) {
            throw notFound(alias);
        }
        purge(t, a, v[0]);
        return null;
    }

    /** Removes an entry of the given type with its elements and tag links. */
    public void remove(String alias, byte type) {
        byte[] a = Keys.utf8(alias);
        write(t -> {
            lockExisting(t, alias, a, type);
            purge(t, a, type);
            return null;
        });
    }

    // ---------------------------------------------------------------- deque

    private static final int HEAD = HEADER;
    private static final int TAIL = HEADER + 8;

    private byte[] lockOrCreateContainer(Txn t, String alias, byte[] a, byte type) {
        byte[] v = lockEntry(t, a);
        if (v == null) {
            return header(type, NEVER, new byte[16]);
        }
        checkType(alias, v, type);
        return v;
    }

    /** Appends at the front or the back, creating the deque if needed. @return the new size */
    public long push(String alias, byte[] element, boolean front) {
        return write(t -> pushIn(t, alias, element, front));
    }

    private long pushIn(Txn t, String alias, byte[] element, boolean front) {
        byte[] a = Keys.utf8(alias);
        {
            byte[] v = lockOrCreateContainer(t, alias, a, DEQUE);
            long head = Keys.getLong(v, HEAD);
            long tail = Keys.getLong(v, TAIL);
            long index;
            if (front) {
                head--;
                index = head;
            } else {
                index = tail;
                tail++;
            }
            t.put(Keys.dequeElement(a, index), element);
            Keys.putLong(v, HEAD, head);
            Keys.putLong(v, TAIL, tail);
            t.put(Keys.entry(a), v);
            return tail - head;
        }
    }

    /** Removes and returns the front or back element. */
    public byte[] pop(String alias, boolean front) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            byte[] v = lockExisting(t, alias, a, DEQUE);
            long index = endIndex(alias, v, front);
            byte[] key = Keys.dequeElement(a, index);
            byte[] element = t.get(key);
            t.delete(key);
            Keys.putLong(v, front ? HEAD : TAIL, front ? index + 1 : index);
            t.put(Keys.entry(a), v);
            return element;
        });
    }

    /** @return the front or back element, without removing it */
    public byte[] dequeEnd(String alias, boolean front) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            byte[] v = lockExisting(t, alias, a, DEQUE);
            return t.get(Keys.dequeElement(a, endIndex(alias, v, front)));
        });
    }

    /** @return the index of the front or back element of a deque's metadata {@code v} */
    private static long endIndex(String alias, byte[] v, boolean front) {
        long head = Keys.getLong(v, HEAD);
        long tail = Keys.getLong(v, TAIL);
        if (head == tail) {
            throw new EmptyContainerException("deque '" + alias + "' is empty");
        }
        return front ? head : tail - 1;
    }

    /** Locks the deque; @return the key of its element at {@code index} from the front */
    private byte[] lockElement(Txn t, String alias, byte[] a, long index) {
        byte[] v = lockExisting(t, alias, a, DEQUE);
        long head = Keys.getLong(v, HEAD);
        long size = Keys.getLong(v, TAIL) - head;
        if (index < 0 || index >= size) {
            throw new OutOfRangeException("index " + index + " is out of range for deque '" + alias
                    + "' of size " + size);
        }
        return Keys.dequeElement(a, head + index);
    }

    /** @return the element at {@code index} from the front */
    public byte[] dequeGet(String alias, long index) {
        byte[] a = Keys.utf8(alias);
        return write(t -> t.get(lockElement(t, alias, a, index)));
    }

    /** Replaces the element at {@code index}. */
    public void dequeSet(String alias, long index, byte[] element) {
        byte[] a = Keys.utf8(alias);
        write(t -> {
            t.put(lockElement(t, alias, a, index), element);
            return null;
        });
    }

    /** @return the deque's size */
    public long dequeSize(String alias) {
        byte[] v = readExisting(alias, DEQUE);
        return Keys.getLong(v, TAIL) - Keys.getLong(v, HEAD);
    }

    // ---------------------------------------------------------------- set

    /** Inserts, creating the set if needed. */
    public void setInsert(String alias, byte[] element) {
        write(t -> setInsertIn(t, alias, element));
    }

    private Void setInsertIn(Txn t, String alias, byte[] element) {
        byte[] a = Keys.utf8(alias);
        {
            byte[] v = lockOrCreateContainer(t, alias, a, SET);
            byte[] key = Keys.composite(Keys.SET_ELEMENT, a, element);
            if (t.get(key) != null) {
                throw new ElementAlreadyExistsException("set '" + alias + "' already contains the element ("
                        + element.length + " bytes)");
            }
            t.put(key, new byte[0]);
            Keys.putLong(v, HEAD, Keys.getLong(v, HEAD) + 1);
            t.put(Keys.entry(a), v);
            return null;
        }
    }

    /** Erases an element. */
    public void setErase(String alias, byte[] element) {
        byte[] a = Keys.utf8(alias);
        write(t -> {
            byte[] v = lockExisting(t, alias, a, SET);
            byte[] key = Keys.composite(Keys.SET_ELEMENT, a, element);
            if (t.get(key) == null) {
                throw new ElementNotFoundException("set '" + alias + "' does not contain the element ("
                        + element.length + " bytes)");
            }
            t.delete(key);
            Keys.putLong(v, HEAD, Keys.getLong(v, HEAD) - 1);
            t.put(Keys.entry(a), v);
            return null;
        });
    }

    /** @return whether the set contains the element */
    public boolean setContains(String alias, byte[] element) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            lockExisting(t, alias, a, SET);
            return t.get(Keys.composite(Keys.SET_ELEMENT, a, element)) != null;
        });
    }

    // ---------------------------------------------------------------- tags

    /** Attaches a tag to an existing entry of the given type. */
    public void attachTag(String alias, byte type, String tag) {
        byte[] a = Keys.utf8(alias);
        byte[] g = Keys.utf8(tag);
        write(t -> {
            lockExisting(t, alias, a, type);
            byte[] link = Keys.composite(Keys.ALIAS_TO_TAG, a, g);
            if (t.get(link) != null) {
                throw new TagAlreadySetException("alias '" + alias + "' already has tag '" + tag + "'");
            }
            t.put(link, new byte[0]);
            t.put(Keys.composite(Keys.TAG_TO_ALIAS, g, a), new byte[0]);
            return null;
        });
    }

    /** Detaches a tag. */
    public void detachTag(String alias, byte type, String tag) {
        byte[] a = Keys.utf8(alias);
        byte[] g = Keys.utf8(tag);
        write(t -> {
            lockExisting(t, alias, a, type);
            byte[] link = Keys.composite(Keys.ALIAS_TO_TAG, a, g);
            if (t.get(link) == null) {
                throw new TagNotSetException("alias '" + alias + "' does not have tag '" + tag + "'");
            }
            t.delete(link);
            t.delete(Keys.composite(Keys.TAG_TO_ALIAS, g, a));
            return null;
        });
    }

    /** @return whether the live entry has the tag */
    public boolean hasTag(String alias, byte type, String tag) {
        byte[] a = Keys.utf8(alias);
        readExisting(alias, type);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocate(Rocks.SIZE_T);
            return take(Rocks.txnDbGet(db, readOptions, seg(arena, Keys.composite(Keys.ALIAS_TO_TAG, a,
                    Keys.utf8(tag))), len, Rocks.errSlot(arena)), len) != null;
        }
    }

    /** @return the entry's tags in byte order */
    public List<String> tags(String alias, byte type) {
        readExisting(alias, type);
        try (Arena arena = Arena.ofConfined()) {
            return strings(scan(arena, null, Keys.prefix(Keys.ALIAS_TO_TAG, Keys.utf8(alias))));
        }
    }

    /** @return aliases of the live entries carrying the tag, in byte order */
    public List<String> entries(String tag) {
        List<byte[]> aliases;
        try (Arena arena = Arena.ofConfined()) {
            aliases = scan(arena, null, Keys.prefix(Keys.TAG_TO_ALIAS, Keys.utf8(tag)));
        }
        List<String> out = new ArrayList<>(aliases.size());
        for (byte[] a : aliases) {
            String alias = new String(a, StandardCharsets.UTF_8);
            if (readEntry(alias, a) != null) {
                out.add(alias);
            }
        }
        return out;
    }

    private static List<String> strings(List<byte[]> bytes) {
        List<String> out = new ArrayList<>(bytes.size());
        for (byte[] b : bytes) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---------------------------------------------------------------- whole keyspace

    /** @return the type of the live entry under {@code alias} ({@link #BLOB} … {@link #SET}), or 0 if there is none */
    public byte typeOf(String alias) {
        byte[] v = readEntry(alias, Keys.utf8(alias));
        return v == null ? 0 : v[0];
    }

    /** @return the number of elements of a set */
    public long setSize(String alias) {
        return Keys.getLong(readExisting(alias, SET), HEAD);
    }

    /** @return the elements of a set in byte order, read under its lock (one consistent view) */
    public List<byte[]> setMembers(String alias) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            lockExisting(t, alias, a, SET);
            return t.suffixes(Keys.prefix(Keys.SET_ELEMENT, a));
        });
    }

    /** @return the elements of a deque from front to back, read under its lock (one consistent view) */
    public List<byte[]> dequeElements(String alias) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            lockExisting(t, alias, a, DEQUE);
            return t.values(Keys.prefix(Keys.DEQUE_ELEMENT, a));
        });
    }

    /**
     * Lists live aliases starting with {@code prefix}, after {@code startAfter} (exclusive, or from the first
     * when null), in UTF-8 byte order.
     *
     * @param limit at most this many
     * @param more  set to whether a key follows the last one returned (a next page may exist)
     * @return the aliases
     */
    public List<String> aliases(String prefix, String startAfter, int limit, boolean[] more) {
        byte[] start = Keys.entry(Keys.utf8(prefix));
        byte[] upper = Keys.upperBound(start);
        byte[] seek = start;
        if (startAfter != null) {
            byte[] after = Keys.entry(Keys.utf8(startAfter));
            // the smallest key after 'e' startAfter: names never contain NUL
            byte[] next = Arrays.copyOf(after, after.length + 1);
            if (Arrays.compareUnsigned(next, seek) > 0) {
                seek = next;
            }
        }
        List<String> out = new ArrayList<>();
        long now = clock.millis();
        more[0] = false;
        if (Arrays.compareUnsigned(seek, upper) >= 0) {
            return out;
        }
        try (Arena a = Arena.ofConfined()) {
            scan(a, null, seek, upper, (k, v) -> {
                if (out.size() == limit) {
                    more[0] = true;
                    return false;
                }
                long expiry = v.byteSize() >= HEADER ? Keys.getLong(v.asSlice(1, 8).toArray(JAVA_BYTE), 0) : NEVER;
                if (expiry == NEVER || expiry > now) {
                    out.add(new String(k.asSlice(1).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                }
                return true;
            });
        }
        return out;
    }

    /**
     * Lists the aliases of entries expired at the clock's now, in key order, starting after {@code startAfter}
     * (null: from the first). One iterator over the entry keys; nothing is locked or deleted.
     *
     * @param limit at most this many
     * @return the aliases, as UTF-8 bytes
     */
    @Override
    public List<byte[]> expiredAliases(byte[] startAfter, int limit) {
        byte[] start = {Keys.ENTRY};
        byte[] seek = startAfter == null ? start : Arrays.copyOf(Keys.entry(startAfter), startAfter.length + 2);
        long now = clock.millis();
        List<byte[]> out = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            scan(a, null, seek, Keys.upperBound(start), (k, v) -> {
                if (v.byteSize() >= HEADER) {
                    long expiry = Keys.getLong(v.asSlice(1, 8).toArray(JAVA_BYTE), 0);
                    if (expiry != NEVER && expiry <= now) {
                        out.add(k.asSlice(1).toArray(JAVA_BYTE));
                    }
                }
                return out.size() < limit;
            });
        }
        return out;
    }

    /**
     * Purges the entry under {@code alias} with its elements and tag links if it is still expired, judged under
     * its lock (a write that replaced it since it was listed wins).
     *
     * @return whether it purged it
     */
    @Override
    public boolean purgeIfExpired(byte[] alias) {
        return write(t -> {
            byte[] v = t.lock(Keys.entry(alias));
            if (v == null || !expired(v, clock.millis())) {
                return false;
            }
            purge(t, alias, v[0]);
            return true;
        });
    }

    /**
     * Reads several blobs at one consistent point ({@code DB::MultiGet}).
     *
     * @return each alias's blob, or null where there is none (or it expired)
     * @throws IncompatibleTypeException if an alias holds another type
     */
    public List<byte[]> multiGet(List<String> aliases) {
        int n = aliases.size();
        List<byte[]> out = new ArrayList<>(n);
        if (n == 0) {
            return out;
        }
        String firstError = null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment keys = a.allocate(java.lang.foreign.ValueLayout.ADDRESS, n);
            MemorySegment keySizes = a.allocate(Rocks.SIZE_T, n);
            MemorySegment values = a.allocate(java.lang.foreign.ValueLayout.ADDRESS, n);
            MemorySegment valueSizes = a.allocate(Rocks.SIZE_T, n);
            MemorySegment errs = a.allocate(java.lang.foreign.ValueLayout.ADDRESS, n);
            for (int i = 0; i < n; i++) {
                MemorySegment key = seg(a, Keys.entry(Keys.utf8(aliases.get(i))));
                keys.setAtIndex(java.lang.foreign.ValueLayout.ADDRESS, i, key);
                keySizes.setAtIndex(Rocks.SIZE_T_LONG, i, key.byteSize());
            }
            Rocks.txnDbMultiGet(db, readOptions, n, keys, keySizes, values, valueSizes, errs);
            // every value and error is malloc'd: all are taken (copied and freed) before anything is thrown
            for (int i = 0; i < n; i++) {
                MemorySegment err = errs.asSlice(i * 8L, 8);
                try {
                    Rocks.check(err);
                } catch (RuntimeException e) {
                    if (firstError == null) {
                        firstError = aliases.get(i) + ": " + e.getMessage();
                    }
                }
                MemorySegment len = valueSizes.asSlice(i * 8L, 8);
                out.add(take(values.getAtIndex(java.lang.foreign.ValueLayout.ADDRESS, i), len));
            }
        }
        if (firstError != null) {
            throw new dev.leakproof.kv.NativeException("RocksDB multi-get failed for " + firstError);
        }
        long now = clock.millis();
        for (int i = 0; i < n; i++) {
            byte[] v = out.get(i);
            if (v == null || expired(v, now)) {
                out.set(i, null);
            } else {
                checkType(aliases.get(i), v, BLOB);
                out.set(i, payload(v));
            }
        }
        return out;
    }

    /**
     * Replaces a blob's or integer's payload if it equals {@code expected}; the expiry is kept.
     *
     * @return whether it was replaced
     */
    public boolean compareAndSwap(String alias, byte type, byte[] expected, byte[] replacement) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            byte[] v = lockExisting(t, alias, a, type);
            if (!Arrays.equals(v, HEADER, v.length, expected, 0, expected.length)) {
                return false;
            }
            t.put(Keys.entry(a), header(type, Keys.getLong(v, 1), replacement));
            return true;
        });
    }

    /**
     * Replaces a blob's or integer's payload with {@code update} of it, under the entry's lock; the expiry is
     * kept. {@code update} runs inside the transaction: what it throws rolls the change back.
     *
     * @param check checks what {@code update} returned (size, null)
     * @return the payload before
     */
    public byte[] getAndUpdate(String alias, byte type, UnaryOperator<byte[]> update, UnaryOperator<byte[]> check) {
        byte[] a = Keys.utf8(alias);
        return write(t -> {
            byte[] v = lockExisting(t, alias, a, type);
            byte[] old = payload(v);
            byte[] replacement = check.apply(update.apply(old.clone()));
            t.put(Keys.entry(a), header(type, Keys.getLong(v, 1), replacement));
            return old;
        });
    }

    /**
     * Runs the writes in one transaction: all commit or none does (the first failure rolls back the rest and
     * is thrown). Every alias is locked first, in byte order, so two batches over the same aliases never
     * deadlock whatever order their writes are in.
     */
    public void batch(List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        write(t -> {
            List<byte[]> aliases = new ArrayList<>(ops.size());
            for (BatchOp op : ops) {
                aliases.add(Keys.utf8(op.alias()));
            }
            aliases.sort(Arrays::compareUnsigned);
            byte[] previous = null;
            for (byte[] a : aliases) {
                if (previous == null || !Arrays.equals(previous, a)) {
                    lockEntry(t, a);
                }
                previous = a;
            }
            for (BatchOp op : ops) {
                switch (op.kind()) {
                    case WRITE -> writeIn(t, op.alias(), op.type(), op.payload(), op.expiry(), op.flag());
                    case ADD -> addIn(t, op.alias(), op.delta());
                    case PUSH -> pushIn(t, op.alias(), op.payload(), op.flag());
                    case SET_INSERT -> setInsertIn(t, op.alias(), op.payload());
                    case REMOVE -> removeAnyIn(t, op.alias());
                }
            }
            return null;
        });
    }

    /**
     * Writes the memtable to an SST file and waits for it (RocksDB runs the flush on its own background thread).
     */
    public void flush() {
        try (Arena a = Arena.ofConfined();
             Owned fo = Owned.of(Rocks.flushOptionsCreate(), NativeKinds.FLUSH_OPTIONS.track(0, null),
                     Rocks::flushOptionsDestroy)) {
            Rocks.txnDbFlush(db, fo.get(), Rocks.errSlot(a));
        }
    }

    /**
     * Makes a consistent, openable copy of the live database in {@code target}, which must not exist (RocksDB
     * writes it under a temporary name and renames it). A TransactionDB runs with two-phase commit, so RocksDB
     * flushes the memtable first.
     *
     * @return null on success, RocksDB's message on failure
     */
    public String checkpoint(Path target) {
        try (Arena a = Arena.ofConfined();
             Owned cp = Owned.of(Rocks.txnDbCheckpointObjectCreate(db, Rocks.errSlot(a)),
                     NativeKinds.CHECKPOINT.track(0, null), Rocks::checkpointObjectDestroy)) {
            return Rocks.checkpointCreate(cp.get(), a.allocateFrom(target.toAbsolutePath().toString()), 0,
                    Rocks.errSlot(a));
        }
    }

    /** @return a RocksDB property ({@code rocksdb.stats}, {@code rocksdb.estimate-num-keys}, …), or null if unknown */
    public String property(String name) {
        try (Arena a = Arena.ofConfined()) {
            return Rocks.txnDbPropertyValue(db, a.allocateFrom(name));
        }
    }

    /** @return RocksDB's statistics text, or null when the store was opened without statistics */
    public String statistics() {
        return statistics ? Rocks.optionsStatisticsGetString(options) : null;
    }

    @Override
    public String toString() {
        return "Store[" + path + "]";
    }
}
