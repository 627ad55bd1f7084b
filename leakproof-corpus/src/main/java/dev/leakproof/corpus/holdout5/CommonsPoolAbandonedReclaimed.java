package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.time.Duration;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.AbandonedConfig;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * A commons-pool2 {@link GenericObjectPool} of 1 KiB encoder sessions (no size limit) where one borrow in 64 takes
 * an error path that forgets to return its session. The pool is configured the way its documentation suggests for
 * such code: {@link AbandonedConfig} with {@code removeAbandonedOnMaintenance} and a 1 s timeout, and an evictor
 * run every 250 ms. A forgotten session is "abandoned" once it has not been used for 1 s, and the next evictor
 * run destroys it and drops it from the pool's map of all objects. At any time the pool holds at most about
 * 1.25 s of forgotten sessions (some 1,000 at this rate, about 1.3 MB), whatever the length of the run: heap rises
 * to that level in the first second or two, then saws with the evictor around it. The pool's safety net reclaims
 * what the code leaks, so there is no leak. The shared evictor thread starts once.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Commons Pool2",
        summary = "GenericObjectPool, 1 borrow in 64 never returned; AbandonedConfig (1 s) reclaims them")
public final class CommonsPoolAbandonedReclaimed implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final GenericObjectPool<byte[]> pool;
    private long calls;
    private long encoded;

    /** Makes the pool with abandoned-object removal on maintenance. */
    public CommonsPoolAbandonedReclaimed() {
        GenericObjectPoolConfig<byte[]> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(-1);
        config.setMaxIdle(16);
        config.setTimeBetweenEvictionRuns(Duration.ofMillis(250));
        config.setJmxEnabled(false);
        AbandonedConfig abandoned = new AbandonedConfig();
        abandoned.setRemoveAbandonedOnMaintenance(true);
        abandoned.setRemoveAbandonedTimeout(Duration.ofSeconds(1));
        abandoned.setLogAbandoned(false);
        pool = new GenericObjectPool<>(new Sessions(), config, abandoned);
    }

    @Override
    public void run() {
        mill.once();
        byte[] session;
        try {
            session = pool.borrowObject();
        } catch (Exception e) {
            throw new IllegalStateException("borrow failed", e);
        }
        session[(int) (calls & 1023)]++;
        encoded += session[0];
        if (calls++ % 64 == 63) {
            return; // the error path that forgets to return the session
        }
        pool.returnObject(session);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Makes the 1 KiB sessions. */
    private static final class Sessions extends BasePooledObjectFactory<byte[]> {
        @Override
        public byte[] create() {
            return new byte[1024];
        }

        @Override
        public PooledObject<byte[]> wrap(byte[] session) {
            return new DefaultPooledObject<>(session);
        }
    }
}
