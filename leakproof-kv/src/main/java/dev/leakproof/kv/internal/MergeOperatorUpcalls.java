package dev.leakproof.kv.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.leakproof.core.Handle;
import dev.leakproof.core.HandleTable;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The integer merge operator ({@code add}) as RocksDB upcalls.
 *
 * <p>Design note: RocksDB keeps a {@code void* state} for the operator and calls back into it from
 * compaction and read threads. Native code cannot hold a Java object, so the state is the id of a
 * {@link Handle} in {@link #HANDLES}, resolved on every upcall: a stale id fails cleanly instead of
 * reaching a freed object. The handle is released by the operator's destructor, which RocksDB calls when
 * the last options/DB reference to it drops (after close): this is the 2015 post's Persistent handle, with
 * its release tied to the owner's real lifetime. The stubs live in the cluster's upcall arena, closed only
 * after the database and its options are gone. No exception ever leaves an upcall: each catches everything,
 * reports failure to RocksDB through {@code *success = 0}, and logs.
 *
 * <p>Values are {@code [type:1][expiry:8][int64:8]}, big-endian; operands are 8-byte big-endian deltas.
 * Sums wrap in two's complement, like {@code int64_t} addition in C.
 */
@SuppressWarnings("restricted") // upcall stubs and the pointers RocksDB passes in
public final class MergeOperatorUpcalls {
    /** Where cluster merge operators are pinned for native code. */
    public static final HandleTable HANDLES = HandleTable.create("kv-merge-operators");

    static final ValueLayout.OfLong BE_LONG = JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
    static final int VALUE_SIZE = 17;
    private static final System.Logger LOG = System.getLogger("dev.leakproof.kv");

    private static final FunctionDescriptor FULL_MERGE = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS,
            Rocks.SIZE_T, ADDRESS, Rocks.SIZE_T, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor PARTIAL_MERGE = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS,
            Rocks.SIZE_T, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor DESTRUCTOR = FunctionDescriptor.ofVoid(ADDRESS);
    private static final FunctionDescriptor NAME = FunctionDescriptor.of(ADDRESS, ADDRESS);

    private static final MethodHandle FULL_MERGE_MH;
    private static final MethodHandle PARTIAL_MERGE_MH;
    private static final MethodHandle DESTRUCTOR_MH;
    private static final MethodHandle NAME_MH;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FULL_MERGE_MH = l.findStatic(MergeOperatorUpcalls.class, "fullMerge", FULL_MERGE.toMethodType());
            PARTIAL_MERGE_MH = l.findStatic(MergeOperatorUpcalls.class, "partialMerge", PARTIAL_MERGE.toMethodType());
            DESTRUCTOR_MH = l.findStatic(MergeOperatorUpcalls.class, "destroy", DESTRUCTOR.toMethodType());
            NAME_MH = l.findStatic(MergeOperatorUpcalls.class, "name", MethodType.methodType(MemorySegment.class,
                    MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The Java side of one cluster's operator. */
    static final class State {
        final MemorySegment name;
        final AtomicLong merges = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile Handle<State> handle;
        volatile boolean destroyed;

        State(MemorySegment name) {
            this.name = name;
        }
    }

    private MergeOperatorUpcalls() {
    }

    /**
     * Creates the operator; the caller hands it to {@code rocksdb_options_set_merge_operator}, which owns it.
     *
     * @param upcallArena lives until the database and the options are gone
     * @return the operator and its Java state
     */
    static State create(Arena upcallArena, MemorySegment[] operatorOut) {
        State state = new State(upcallArena.allocateFrom("leakproof.int64add"));
        Handle<State> handle = HANDLES.pin(state);
        state.handle = handle;
        MemorySegment full = Rocks.LINKER.upcallStub(FULL_MERGE_MH, FULL_MERGE, upcallArena);
        MemorySegment partial = Rocks.LINKER.upcallStub(PARTIAL_MERGE_MH, PARTIAL_MERGE, upcallArena);
        MemorySegment destructor = Rocks.LINKER.upcallStub(DESTRUCTOR_MH, DESTRUCTOR, upcallArena);
        MemorySegment name = Rocks.LINKER.upcallStub(NAME_MH, NAME, upcallArena);
        try {
            // delete_value NULL: RocksDB frees our malloc'd results with free()
            operatorOut[0] = (MemorySegment) Rocks.MERGEOPERATOR_CREATE.invokeExact(
                    MemorySegment.ofAddress(handle.id()), destructor, full, partial, MemorySegment.NULL, name);
        } catch (Throwable t) {
            handle.release();
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
        return state;
    }

    /** @return a value of the integer layout */
    static byte[] encode(long expiry, long value) {
        byte[] b = new byte[VALUE_SIZE];
        b[0] = Store.INTEGER;
        Keys.putLong(b, 1, expiry);
        Keys.putLong(b, 9, value);
        return b;
    }

    private static MemorySegment fullMerge(MemorySegment state, MemorySegment key, long keyLen, MemorySegment existing,
                                           long existingLen, MemorySegment operands, MemorySegment operandLens,
                                           int count, MemorySegment success, MemorySegment newLen) {
        State s = null;
        try {
            s = HANDLES.resolve(state.address(), State.class);
            long expiry = 0;
            long value = 0;
            if (existing.address() != 0) {
                MemorySegment e = existing.reinterpret(existingLen);
                if (existingLen != VALUE_SIZE || e.get(JAVA_BYTE, 0) != Store.INTEGER) {
                    throw new IllegalStateException("merge onto a value that is not an integer entry ("
                            + existingLen + " bytes, type " + (existingLen > 0 ? e.get(JAVA_BYTE, 0) : -1) + ")");
                }
                expiry = e.get(BE_LONG, 1);
                value = e.get(BE_LONG, 9);
            }
            value += sum(operands, operandLens, count);
            MemorySegment out = Rocks.malloc(VALUE_SIZE);
            out.set(JAVA_BYTE, 0, Store.INTEGER);
            out.set(BE_LONG, 1, expiry);
            out.set(BE_LONG, 9, value);
            newLen.reinterpret(Rocks.SIZE_T.byteSize()).set(JAVA_LONG, 0, VALUE_SIZE);
            success.reinterpret(1).set(JAVA_BYTE, 0, (byte) 1);
            s.merges.incrementAndGet();
            return out;
        } catch (Throwable t) {
            return failed(s, "full merge", t, success, newLen);
        }
    }

    private static MemorySegment partialMerge(MemorySegment state, MemorySegment key, long keyLen,
                                              MemorySegment operands, MemorySegment operandLens, int count,
                                              MemorySegment success, MemorySegment newLen) {
        State s = null;
        try {
            s = HANDLES.resolve(state.address(), State.class);
            long delta = sum(operands, operandLens, count);
            MemorySegment out = Rocks.malloc(8);
            out.set(BE_LONG, 0, delta);
            newLen.reinterpret(Rocks.SIZE_T.byteSize()).set(JAVA_LONG, 0, 8);
            success.reinterpret(1).set(JAVA_BYTE, 0, (byte) 1);
            return out;
        } catch (Throwable t) {
            return failed(s, "partial merge", t, success, newLen);
        }
    }

    private static long sum(MemorySegment operands, MemorySegment operandLens, int count) {
        MemorySegment ptrs = operands.reinterpret(count * ADDRESS.byteSize());
        MemorySegment lens = operandLens.reinterpret(count * Rocks.SIZE_T.byteSize());
        long total = 0;
        for (int i = 0; i < count; i++) {
            long len = lens.getAtIndex(JAVA_LONG, i);
            if (len != 8) {
                throw new IllegalStateException("merge operand " + i + " has " + len + " bytes, expected 8");
            }
            total += ptrs.getAtIndex(ADDRESS, i).reinterpret(8).get(BE_LONG, 0);
        }
        return total;
    }

    private static MemorySegment failed(State s, String what, Throwable t, MemorySegment success, MemorySegment newLen) {
        try {
            if (s != null) {
                s.failures.incrementAndGet();
            }
            success.reinterpret(1).set(JAVA_BYTE, 0, (byte) 0);
            newLen.reinterpret(Rocks.SIZE_T.byteSize()).set(JAVA_LONG, 0, 0);
            LOG.log(System.Logger.Level.ERROR, "integer " + what + " failed; RocksDB reports the key as corrupt", t);
        } catch (Throwable ignored) {
            // nothing may escape into native code
        }
        return MemorySegment.NULL;
    }

    private static void destroy(MemorySegment state) {
        try {
            State s = HANDLES.resolve(state.address(), State.class);
            s.destroyed = true;
            s.handle.release();
        } catch (Throwable t) {
            try {
                LOG.log(System.Logger.Level.ERROR, "merge operator destructor failed", t);
            } catch (Throwable ignored) {
                // nothing may escape into native code
            }
        }
    }

    private static MemorySegment name(MemorySegment state) {
        try {
            return HANDLES.resolve(state.address(), State.class).name;
        } catch (Throwable t) {
            return FALLBACK_NAME;
        }
    }

    private static final MemorySegment FALLBACK_NAME = Arena.global().allocateFrom("leakproof.int64add");
}
