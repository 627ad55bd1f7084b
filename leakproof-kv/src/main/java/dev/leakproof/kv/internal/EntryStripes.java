package dev.leakproof.kv.internal;

import dev.leakproof.core.internal.SpinWait;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the point write apart from the transactions that lock the same entry. The point write
 * ({@code Store.write} of a blob or integer) reads an entry's key and writes it on the base database, without a
 * transaction and so without RocksDB's key lock; every transaction that locks an entry key registers here first
 * and stays registered until it has committed or rolled back.
 *
 * <p>Each entry key falls in one of {@link #STRIPES} stripes, a word each: bit 0 is set while a point write holds the
 * stripe, and every registered transaction adds 2. A point write takes a stripe only when the word is 0 (no
 * transaction, no other point write) and otherwise goes the transaction's way; a transaction registers at once and
 * then waits out a point write already in progress. A point write waits for nothing while it holds a stripe, so no
 * cycle of waits can form through here: a deadlock needs RocksDB's own locks, as before, and ends in their timeout.
 *
 * <p>Design note. RocksDB's C API has no way to write a {@code TransactionDB} without its lock manager but the base
 * database, and no way to take a key lock but a transaction (begin, get-for-update, commit, destroy: about 2.4 µs
 * of a 4.7 µs update on this machine, docs/BENCHMARKS.md). Striping trades exactness for one word per stripe: two
 * aliases in one stripe make a point write take the transaction's way while the other's transaction runs, which
 * costs time, never correctness.
 */
final class EntryStripes {
    /** Stripes: a power of two. */
    static final int STRIPES = 4096;
    private static final long WRITER = 1;
    private static final long TRANSACTION = 2;
    /** How long a transaction spins and yields before it parks between looks at a point write in progress. */
    private static final long SPIN_NANOS = 20_000;
    private static final long PARK_NANOS = 20_000;

    private final AtomicLongArray words = new AtomicLongArray(STRIPES);

    /** @return the stripe of an entry key */
    static int of(byte[] entryKey) {
        int h = Arrays.hashCode(entryKey);
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** @return whether the point write may go on: no transaction and no other point write holds the stripe */
    boolean tryWrite(int stripe) {
        return words.get(stripe) == 0 && words.compareAndSet(stripe, 0, WRITER);
    }

    /** Ends a point write that {@link #tryWrite} let go on. */
    void endWrite(int stripe) {
        words.getAndAdd(stripe, -WRITER);
    }

    /**
     * Registers a transaction on a stripe before it locks an entry key there, and waits out a point write in
     * progress (a read and a write: microseconds, or an fsync with synced writes). Balanced by {@link #exit}.
     */
    void enter(int stripe) {
        if ((words.getAndAdd(stripe, TRANSACTION) & WRITER) == 0) {
            return;
        }
        long start = System.nanoTime();
        boolean interrupted = false; // kept for the caller: a set flag would make every park return at once
        for (int turn = 0; (words.get(stripe) & WRITER) != 0; turn++) {
            if (!SpinWait.turn(turn, start, SPIN_NANOS)) {
                LockSupport.parkNanos(this, PARK_NANOS);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a transaction's registration on a stripe, once it has committed or rolled back. */
    void exit(int stripe) {
        words.getAndAdd(stripe, -TRANSACTION);
    }

    /** @return the stripe's word, for tests */
    long word(int stripe) {
        return words.get(stripe);
    }
}
