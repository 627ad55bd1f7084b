package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * Every 4 iterations borrows a 512-byte session from an Apache Commons Pool2 {@link GenericObjectPool} with no
 * size limit and never returns it. The pool tracks every object it made until it is returned or invalidated
 * (abandoned-object removal is off by default), and with nothing idle it makes a new one for each borrow: a
 * session, its buffer and the pool's bookkeeping, about 150 bytes per iteration, without bound: a leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 150, culprit = "pool2|PooledSession|DefaultPooledObject",
        userFrame = "CommonsPoolBorrowNoReturn(\\$SessionFactory)?\\.(run|create)", library = "Commons Pool2",
        summary = "a GenericObjectPool object borrowed every 4 iterations, never returned (unbounded pool)")
public final class CommonsPoolBorrowNoReturn implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final GenericObjectPool<PooledSession> pool;
    private long calls;

    /** Creates an unbounded pool. */
    public CommonsPoolBorrowNoReturn() {
        GenericObjectPoolConfig<PooledSession> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(-1);
        config.setJmxEnabled(false);
        pool = new GenericObjectPool<>(new SessionFactory(), config);
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 4 == 0) {
            try {
                PooledSession s = pool.borrowObject();
                s.buffer()[0] = (byte) calls;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** @param buffer the session's scratch buffer */
    record PooledSession(byte[] buffer) {
    }

    /** Makes sessions. */
    static final class SessionFactory extends BasePooledObjectFactory<PooledSession> {
        @Override
        public PooledSession create() {
            return new PooledSession(new byte[512]);
        }

        @Override
        public PooledObject<PooledSession> wrap(PooledSession s) {
            return new DefaultPooledObject<>(s);
        }
    }
}
