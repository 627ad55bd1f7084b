package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * Borrows a session from an Apache Commons Pool2 {@link GenericObjectPool} on every iteration and returns it in a
 * {@code finally}. The pool makes one session and reuses it: not a leak (the twin of
 * {@link CommonsPoolBorrowNoReturn}).
 */
@Expect(verdict = Truth.NO_LEAK, library = "Commons Pool2", summary = "a GenericObjectPool object borrowed and returned every iteration")
public final class CommonsPoolBorrowReturn implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final GenericObjectPool<CommonsPoolBorrowNoReturn.PooledSession> pool;
    private long calls;

    /** Creates the pool. */
    public CommonsPoolBorrowReturn() {
        GenericObjectPoolConfig<CommonsPoolBorrowNoReturn.PooledSession> config = new GenericObjectPoolConfig<>();
        config.setJmxEnabled(false);
        pool = new GenericObjectPool<>(new CommonsPoolBorrowNoReturn.SessionFactory(), config);
    }

    @Override
    public void run() {
        work.request();
        CommonsPoolBorrowNoReturn.PooledSession s;
        try {
            s = pool.borrowObject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            s.buffer()[0] = (byte) ++calls;
        } finally {
            pool.returnObject(s);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
