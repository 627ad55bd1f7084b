package dev.leakproof.kv.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.leakproof.kv.DatabaseInUseException;
import dev.leakproof.kv.KvTimeoutException;
import dev.leakproof.kv.NativeException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The one binding layer over RocksDB's C API ({@code include/rocksdb/c.h}, v9.10). Every downcall of
 * leakproof-kv goes through a method here; nothing else touches a {@link MethodHandle}.
 *
 * <p>Error convention: functions taking {@code char** errptr} get a slot that is NULL before the call;
 * after it, a non-NULL slot holds a malloc'd message that {@link #check(MemorySegment)} copies, frees with
 * {@code rocksdb_free}, resets to NULL, and throws as {@link NativeException} (or {@link KvTimeoutException}
 * for RocksDB's lock and deadline timeouts).
 */
@SuppressWarnings("restricted") // the binding layer: restricted FFM calls are deliberate here, and only here
public final class Rocks {
    static final Linker LINKER = Linker.nativeLinker();
    /** {@code size_t} of this platform. */
    public static final ValueLayout SIZE_T = (ValueLayout) LINKER.canonicalLayouts().get("size_t");
    private static final SymbolLookup LIB = NativeLibrary.lookup();

    private static MethodHandle fn(String name, MemoryLayout result, MemoryLayout... args) {
        MemorySegment symbol = LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "RocksDB's native library " + NativeLibrary.loadedFrom() + " does not export " + name
                        + ": leakproof-kv needs rocksdbjni 9.10 or a compatible version"));
        FunctionDescriptor d = result == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(result, args);
        return LINKER.downcallHandle(symbol, d);
    }

    private static final MethodHandle FREE = fn("rocksdb_free", null, ADDRESS);
    /** free() is short and never calls back: no thread-state transition needed. */
    private static final MethodHandle FREE_CRITICAL = LINKER.downcallHandle(
            LIB.find("rocksdb_free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS), Linker.Option.critical(false));
    private static final MethodHandle OPTIONS_CREATE = fn("rocksdb_options_create", ADDRESS);
    private static final MethodHandle OPTIONS_DESTROY = fn("rocksdb_options_destroy", null, ADDRESS);
    private static final MethodHandle OPTIONS_SET_CREATE_IF_MISSING =
            fn("rocksdb_options_set_create_if_missing", null, ADDRESS, JAVA_BYTE);
    private static final MethodHandle TXNDB_OPTIONS_CREATE = fn("rocksdb_transactiondb_options_create", ADDRESS);
    private static final MethodHandle TXNDB_OPTIONS_DESTROY =
            fn("rocksdb_transactiondb_options_destroy", null, ADDRESS);
    private static final MethodHandle TXNDB_OPTIONS_SET_LOCK_TIMEOUT =
            fn("rocksdb_transactiondb_options_set_transaction_lock_timeout", null, ADDRESS, JAVA_LONG);
    private static final MethodHandle TXNDB_OPEN =
            fn("rocksdb_transactiondb_open", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle TXNDB_CLOSE = fn("rocksdb_transactiondb_close", null, ADDRESS);
    private static final MethodHandle TXNDB_GET =
            fn("rocksdb_transactiondb_get", ADDRESS, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
    private static final MethodHandle TXNDB_GET_BASE_DB = fn("rocksdb_transactiondb_get_base_db", ADDRESS, ADDRESS);
    private static final MethodHandle TXNDB_CLOSE_BASE_DB = fn("rocksdb_transactiondb_close_base_db", null, ADDRESS);
    private static final MethodHandle PUT = fn("rocksdb_put", null, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T,
            ADDRESS);
    private static final MethodHandle TXNDB_CREATE_ITERATOR =
            fn("rocksdb_transactiondb_create_iterator", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle WRITEOPTIONS_CREATE = fn("rocksdb_writeoptions_create", ADDRESS);
    private static final MethodHandle WRITEOPTIONS_DESTROY = fn("rocksdb_writeoptions_destroy", null, ADDRESS);
    private static final MethodHandle WRITEOPTIONS_SET_SYNC =
            fn("rocksdb_writeoptions_set_sync", null, ADDRESS, JAVA_BYTE);
    private static final MethodHandle READOPTIONS_CREATE = fn("rocksdb_readoptions_create", ADDRESS);
    private static final MethodHandle READOPTIONS_DESTROY = fn("rocksdb_readoptions_destroy", null, ADDRESS);
    private static final MethodHandle READOPTIONS_SET_UPPER_BOUND =
            fn("rocksdb_readoptions_set_iterate_upper_bound", null, ADDRESS, ADDRESS, SIZE_T);
    private static final MethodHandle TXN_OPTIONS_CREATE = fn("rocksdb_transaction_options_create", ADDRESS);
    private static final MethodHandle TXN_OPTIONS_DESTROY = fn("rocksdb_transaction_options_destroy", null, ADDRESS);
    private static final MethodHandle TXN_OPTIONS_SET_LOCK_TIMEOUT =
            fn("rocksdb_transaction_options_set_lock_timeout", null, ADDRESS, JAVA_LONG);
    private static final MethodHandle TXN_BEGIN =
            fn("rocksdb_transaction_begin", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle TXN_COMMIT = fn("rocksdb_transaction_commit", null, ADDRESS, ADDRESS);
    private static final MethodHandle TXN_ROLLBACK = fn("rocksdb_transaction_rollback", null, ADDRESS, ADDRESS);
    private static final MethodHandle TXN_DESTROY = fn("rocksdb_transaction_destroy", null, ADDRESS);
    private static final MethodHandle TXN_GET =
            fn("rocksdb_transaction_get", ADDRESS, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
    private static final MethodHandle TXN_GET_FOR_UPDATE = fn("rocksdb_transaction_get_for_update", ADDRESS,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, JAVA_BYTE, ADDRESS);
    private static final MethodHandle TXN_PUT =
            fn("rocksdb_transaction_put", null, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, ADDRESS);
    private static final MethodHandle TXN_DELETE =
            fn("rocksdb_transaction_delete", null, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
    private static final MethodHandle TXN_CREATE_ITERATOR =
            fn("rocksdb_transaction_create_iterator", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle ITER_SEEK = fn("rocksdb_iter_seek", null, ADDRESS, ADDRESS, SIZE_T);
    private static final MethodHandle ITER_VALID = fn("rocksdb_iter_valid", JAVA_BYTE, ADDRESS);
    private static final MethodHandle ITER_NEXT = fn("rocksdb_iter_next", null, ADDRESS);
    private static final MethodHandle ITER_KEY = fn("rocksdb_iter_key", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle ITER_VALUE = fn("rocksdb_iter_value", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle ITER_GET_ERROR = fn("rocksdb_iter_get_error", null, ADDRESS, ADDRESS);
    private static final MethodHandle ITER_DESTROY = fn("rocksdb_iter_destroy", null, ADDRESS);
    private static final MethodHandle TXNDB_MULTI_GET = fn("rocksdb_transactiondb_multi_get", null,
            ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle TXNDB_PROPERTY_VALUE =
            fn("rocksdb_transactiondb_property_value", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle OPTIONS_ENABLE_STATISTICS = fn("rocksdb_options_enable_statistics", null, ADDRESS);
    private static final MethodHandle OPTIONS_STATISTICS_GET_STRING =
            fn("rocksdb_options_statistics_get_string", ADDRESS, ADDRESS);
    private static final MethodHandle TXNDB_CHECKPOINT_OBJECT_CREATE =
            fn("rocksdb_transactiondb_checkpoint_object_create", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle CHECKPOINT_CREATE =
            fn("rocksdb_checkpoint_create", null, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle CHECKPOINT_OBJECT_DESTROY = fn("rocksdb_checkpoint_object_destroy", null, ADDRESS);
    private static final MethodHandle FLUSHOPTIONS_CREATE = fn("rocksdb_flushoptions_create", ADDRESS);
    private static final MethodHandle FLUSHOPTIONS_SET_WAIT =
            fn("rocksdb_flushoptions_set_wait", null, ADDRESS, JAVA_BYTE);
    private static final MethodHandle FLUSHOPTIONS_DESTROY = fn("rocksdb_flushoptions_destroy", null, ADDRESS);
    private static final MethodHandle TXNDB_FLUSH = fn("rocksdb_transactiondb_flush", null, ADDRESS, ADDRESS, ADDRESS);

    private Rocks() {
    }

    /** Rethrows what a downcall threw: only errors and runtime exceptions can come out of these handles. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    // ---- errors

    /**
     * @param alloc where the slot lives
     * @return a fresh {@code char*} slot holding NULL
     */
    public static MemorySegment errSlot(SegmentAllocator alloc) {
        MemorySegment slot = alloc.allocate(ADDRESS);
        slot.set(ADDRESS, 0, MemorySegment.NULL);
        return slot;
    }

    /**
     * Throws if the slot holds an error message, freeing the message and resetting the slot first.
     *
     * @param errSlot a slot from {@link #errSlot}
     * @throws NativeException     with RocksDB's message
     * @throws KvTimeoutException  when RocksDB reports a timeout (lock wait, deadline)
     */
    public static void check(MemorySegment errSlot) {
        String text = takeMessage(errSlot);
        if (text != null) {
            throw failure(text);
        }
    }

    private static RuntimeException failure(String text) {
        if (text.startsWith("Operation timed out") || text.contains("Timeout") || text.contains("TimedOut")) {
            return new KvTimeoutException("RocksDB: " + text);
        }
        return new NativeException("RocksDB: " + text);
    }

    /** @return the slot's message, freed and the slot reset, or null if it holds none */
    private static String takeMessage(MemorySegment errSlot) {
        MemorySegment msg = errSlot.get(ADDRESS, 0);
        if (msg.address() == 0) {
            return null;
        }
        String text = msg.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
        errSlot.set(ADDRESS, 0, MemorySegment.NULL);
        free(msg);
        return text;
    }

    /**
     * Whether an open failed on the database's {@code LOCK} file: RocksDB's {@code LockFile} reports
     * "While lock file: DIR/LOCK: Resource temporarily unavailable" when {@code fcntl(F_SETLK)} finds another
     * process's lock (EAGAIN or EACCES), and "lock hold by current process" when this process has the database
     * open already (env/fs_posix.cc).
     */
    static boolean isLockError(String text) {
        return text.contains("lock hold by current process") || text.contains("While lock file")
                || (text.contains("/LOCK") && (text.contains("Resource temporarily unavailable")
                || text.contains("Permission denied")));
    }

    // ---- memory

    /** @param p memory that RocksDB malloc'd (or NULL) */
    public static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@link #free} as a critical downcall, for the hot read path. @param p memory RocksDB malloc'd (or NULL) */
    public static void freeCritical(MemorySegment p) {
        try {
            FREE_CRITICAL.invokeExact(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- options

    /** @return options that create a missing database, with RocksDB's statistics on if asked; destroy them */
    public static MemorySegment optionsCreate(boolean statistics) {
        try {
            MemorySegment o = (MemorySegment) OPTIONS_CREATE.invokeExact();
            if (o.address() != 0) {
                OPTIONS_SET_CREATE_IF_MISSING.invokeExact(o, (byte) 1);
                if (statistics) {
                    OPTIONS_ENABLE_STATISTICS.invokeExact(o);
                }
            }
            return o;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void optionsDestroy(MemorySegment o) {
        try {
            OPTIONS_DESTROY.invokeExact(o);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return transaction-database options with this lock timeout; destroy them */
    public static MemorySegment txnDbOptionsCreate(long lockTimeoutMillis) {
        try {
            MemorySegment o = (MemorySegment) TXNDB_OPTIONS_CREATE.invokeExact();
            if (o.address() != 0) {
                TXNDB_OPTIONS_SET_LOCK_TIMEOUT.invokeExact(o, lockTimeoutMillis);
            }
            return o;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnDbOptionsDestroy(MemorySegment o) {
        try {
            TXNDB_OPTIONS_DESTROY.invokeExact(o);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment writeOptionsCreate(boolean sync) {
        try {
            MemorySegment w = (MemorySegment) WRITEOPTIONS_CREATE.invokeExact();
            WRITEOPTIONS_SET_SYNC.invokeExact(w, (byte) (sync ? 1 : 0));
            return w;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void writeOptionsDestroy(MemorySegment w) {
        try {
            WRITEOPTIONS_DESTROY.invokeExact(w);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment readOptionsCreate() {
        try {
            return (MemorySegment) READOPTIONS_CREATE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void readOptionsDestroy(MemorySegment r) {
        try {
            READOPTIONS_DESTROY.invokeExact(r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The bound buffer must outlive the read options and every iterator made with them. */
    public static void readOptionsSetUpperBound(MemorySegment r, MemorySegment bound) {
        try {
            READOPTIONS_SET_UPPER_BOUND.invokeExact(r, bound, bound.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment txnOptionsCreate(long lockTimeoutMillis) {
        try {
            MemorySegment o = (MemorySegment) TXN_OPTIONS_CREATE.invokeExact();
            TXN_OPTIONS_SET_LOCK_TIMEOUT.invokeExact(o, lockTimeoutMillis);
            return o;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnOptionsDestroy(MemorySegment o) {
        try {
            TXN_OPTIONS_DESTROY.invokeExact(o);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- database

    public static MemorySegment txnDbOpen(MemorySegment options, MemorySegment txnDbOptions, MemorySegment path,
                                          MemorySegment err) {
        try {
            MemorySegment db = (MemorySegment) TXNDB_OPEN.invokeExact(options, txnDbOptions, path, err);
            String text = takeMessage(err);
            if (text != null && isLockError(text)) {
                throw new DatabaseInUseException("database " + path.getString(0) + " is in use by another process, "
                        + "or already open in this one (RocksDB: " + text + "); close it there first");
            }
            if (text != null) {
                throw failure(text);
            }
            return db;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnDbClose(MemorySegment db) {
        try {
            TXNDB_CLOSE.invokeExact(db);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a malloc'd value (length in {@code lenSlot}) or NULL when absent; the caller frees it */
    public static MemorySegment txnDbGet(MemorySegment db, MemorySegment ro, MemorySegment key, MemorySegment lenSlot,
                                         MemorySegment err) {
        try {
            MemorySegment v = (MemorySegment) TXNDB_GET.invokeExact(db, ro, key, key.byteSize(), lenSlot, err);
            check(err);
            return v;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * @return a handle on the database under a transaction database, for writes that take no transaction lock
     *         (the caller excludes transactions by other means); release it with {@link #txnDbCloseBaseDb}
     *         (which frees the handle only, never the database)
     */
    public static MemorySegment txnDbGetBaseDb(MemorySegment txnDb) {
        try {
            return (MemorySegment) TXNDB_GET_BASE_DB.invokeExact(txnDb);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnDbCloseBaseDb(MemorySegment baseDb) {
        try {
            TXNDB_CLOSE_BASE_DB.invokeExact(baseDb);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code rocksdb_put} on a plain database handle (the base of a transaction database). */
    public static void put(MemorySegment db, MemorySegment writeOptions, MemorySegment key, MemorySegment value,
                           MemorySegment err) {
        try {
            PUT.invokeExact(db, writeOptions, key, key.byteSize(), value, value.byteSize(), err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment txnDbCreateIterator(MemorySegment db, MemorySegment ro) {
        try {
            return (MemorySegment) TXNDB_CREATE_ITERATOR.invokeExact(db, ro);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- transactions

    public static MemorySegment txnBegin(MemorySegment db, MemorySegment wo, MemorySegment txnOptions) {
        try {
            return (MemorySegment) TXN_BEGIN.invokeExact(db, wo, txnOptions, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnCommit(MemorySegment txn, MemorySegment err) {
        try {
            TXN_COMMIT.invokeExact(txn, err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnRollback(MemorySegment txn, MemorySegment err) {
        try {
            TXN_ROLLBACK.invokeExact(txn, err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnDestroy(MemorySegment txn) {
        try {
            TXN_DESTROY.invokeExact(txn);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a malloc'd value or NULL; the caller frees it */
    public static MemorySegment txnGet(MemorySegment txn, MemorySegment ro, MemorySegment key, MemorySegment lenSlot,
                                       MemorySegment err) {
        try {
            MemorySegment v = (MemorySegment) TXN_GET.invokeExact(txn, ro, key, key.byteSize(), lenSlot, err);
            check(err);
            return v;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Locks the key for this transaction and reads it: a malloc'd value or NULL; the caller frees it. */
    public static MemorySegment txnGetForUpdate(MemorySegment txn, MemorySegment ro, MemorySegment key,
                                                MemorySegment lenSlot, boolean exclusive, MemorySegment err) {
        try {
            MemorySegment v = (MemorySegment) TXN_GET_FOR_UPDATE.invokeExact(txn, ro, key, key.byteSize(), lenSlot,
                    (byte) (exclusive ? 1 : 0), err);
            check(err);
            return v;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnPut(MemorySegment txn, MemorySegment key, MemorySegment value, MemorySegment err) {
        try {
            TXN_PUT.invokeExact(txn, key, key.byteSize(), value, value.byteSize(), err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void txnDelete(MemorySegment txn, MemorySegment key, MemorySegment err) {
        try {
            TXN_DELETE.invokeExact(txn, key, key.byteSize(), err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment txnCreateIterator(MemorySegment txn, MemorySegment ro) {
        try {
            return (MemorySegment) TXN_CREATE_ITERATOR.invokeExact(txn, ro);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Reads several keys at one consistent point ({@code DB::MultiGet}). Every slot of {@code values} and
     * {@code errs} that comes back non-NULL is malloc'd and the caller's to free; NULL value with NULL error is
     * "not found".
     */
    public static void txnDbMultiGet(MemorySegment db, MemorySegment ro, long n, MemorySegment keys,
                                     MemorySegment keySizes, MemorySegment values, MemorySegment valueSizes,
                                     MemorySegment errs) {
        try {
            TXNDB_MULTI_GET.invokeExact(db, ro, n, keys, keySizes, values, valueSizes, errs);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the property's value, or null if RocksDB does not know it */
    public static String txnDbPropertyValue(MemorySegment db, MemorySegment name) {
        try {
            return takeString((MemorySegment) TXNDB_PROPERTY_VALUE.invokeExact(db, name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return RocksDB's statistics as text, or null when they are off */
    public static String optionsStatisticsGetString(MemorySegment o) {
        try {
            return takeString((MemorySegment) OPTIONS_STATISTICS_GET_STRING.invokeExact(o));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Copies a malloc'd C string RocksDB returned and frees it; null for NULL. */
    private static String takeString(MemorySegment p) {
        if (p.address() == 0) {
            return null;
        }
        try {
            return p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
        } finally {
            free(p);
        }
    }

    /** @return flush options that make a flush wait for its memtable to be written; destroy them */
    public static MemorySegment flushOptionsCreate() {
        try {
            MemorySegment o = (MemorySegment) FLUSHOPTIONS_CREATE.invokeExact();
            FLUSHOPTIONS_SET_WAIT.invokeExact(o, (byte) 1);
            return o;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void flushOptionsDestroy(MemorySegment o) {
        try {
            FLUSHOPTIONS_DESTROY.invokeExact(o);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Writes the memtable to an SST file on a RocksDB background thread and waits for it. */
    public static void txnDbFlush(MemorySegment db, MemorySegment flushOptions, MemorySegment err) {
        try {
            TXNDB_FLUSH.invokeExact(db, flushOptions, err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a checkpoint object of the database (NULL with an error on failure); destroy it before close */
    public static MemorySegment txnDbCheckpointObjectCreate(MemorySegment db, MemorySegment err) {
        try {
            MemorySegment c = (MemorySegment) TXNDB_CHECKPOINT_OBJECT_CREATE.invokeExact(db, err);
            check(err);
            return c;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Makes an openable copy of the database in {@code dir} (which must not exist): SST files hard-linked where
     * the file system allows, copied otherwise.
     *
     * @return RocksDB's error message, or null on success (the caller types it)
     */
    public static String checkpointCreate(MemorySegment checkpoint, MemorySegment dir, long logSizeForFlush,
                                          MemorySegment err) {
        try {
            CHECKPOINT_CREATE.invokeExact(checkpoint, dir, logSizeForFlush, err);
            return takeMessage(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void checkpointObjectDestroy(MemorySegment checkpoint) {
        try {
            CHECKPOINT_OBJECT_DESTROY.invokeExact(checkpoint);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- iterators

    public static void iterSeek(MemorySegment it, MemorySegment key) {
        try {
            ITER_SEEK.invokeExact(it, key, key.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean iterValid(MemorySegment it) {
        try {
            return (byte) ITER_VALID.invokeExact(it) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void iterNext(MemorySegment it) {
        try {
            ITER_NEXT.invokeExact(it);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the current key, borrowed until the iterator moves */
    public static MemorySegment iterKey(MemorySegment it, MemorySegment lenSlot) {
        try {
            MemorySegment k = (MemorySegment) ITER_KEY.invokeExact(it, lenSlot);
            return k.reinterpret(lenSlot.get(SIZE_T_LONG, 0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the current value, borrowed until the iterator moves */
    public static MemorySegment iterValue(MemorySegment it, MemorySegment lenSlot) {
        try {
            MemorySegment v = (MemorySegment) ITER_VALUE.invokeExact(it, lenSlot);
            return v.reinterpret(lenSlot.get(SIZE_T_LONG, 0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Throws the iterator's error, if it has one (to call when {@link #iterValid} turns false). */
    public static void iterCheck(MemorySegment it, MemorySegment err) {
        try {
            ITER_GET_ERROR.invokeExact(it, err);
            check(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void iterDestroy(MemorySegment it) {
        try {
            ITER_DESTROY.invokeExact(it);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code size_t} read as a Java long (64-bit platforms only, which are all rocksdbjni ships for Java 25). */
    public static final ValueLayout.OfLong SIZE_T_LONG = JAVA_LONG;

    static {
        if (SIZE_T.byteSize() != 8) {
            throw new UnsupportedOperationException("leakproof-kv needs a 64-bit platform (size_t of "
                    + SIZE_T.byteSize() + " bytes found)");
        }
    }
}
