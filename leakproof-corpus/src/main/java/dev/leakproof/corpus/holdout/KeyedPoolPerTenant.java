package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;

/**
 * Borrows a per-tenant codec from an Apache Commons Pool2 {@link GenericKeyedObjectPool} on every iteration and
 * always returns it, but the pool is keyed by tenant and a new tenant appears every 50 iterations (tenants are
 * request-scoped ids here, as when a session id is used as the key). With the default configuration (no evictor,
 * {@code maxIdlePerKey} 8, no total cap) a returned object stays idle under its key, and a key whose sub-pool
 * still holds an idle object is never deregistered: per tenant the key string, its sub-pool ({@code ObjectDeque}
 * with a {@code LinkedBlockingDeque}, counters and a {@code ConcurrentHashMap} of all its objects), a slot in the
 * key list, the {@code DefaultPooledObject} wrapper with its timestamps, and the 64-byte codec itself: about
 * 800 B per tenant (measured without leakproof: 198 B per iteration at a tenant every 4 iterations), 16 B per
 * iteration, without bound: a heap leak through a pool that is used "correctly". (The pool also scans all its
 * keys on every return, so a tenant every 4 iterations made iterations ever slower; one every 50 keeps a run of
 * 200,000 iterations within a few tens of µs per iteration.)
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 16,
        culprit = "GenericKeyedObjectPool|ObjectDeque|DefaultPooledObject|LinkedBlockingDeque|Codec",
        userFrame = "KeyedPoolPerTenant", library = "Commons Pool2",
        summary = "GenericKeyedObjectPool keyed by a new tenant id every 50 iterations, borrow + return (idle per key)")
public final class KeyedPoolPerTenant implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final GenericKeyedObjectPool<String, Codec> pool = new GenericKeyedObjectPool<>(new CodecFactory());
    private long calls;
    private long encoded;

    /** A per-tenant codec with 64 bytes of state. */
    static final class Codec {
        final byte[] state = new byte[64];

        int encode(long v) {
            state[(int) (v & 63)]++;
            return state[(int) (v & 63)];
        }
    }

    static final class CodecFactory extends BaseKeyedPooledObjectFactory<String, Codec> {
        @Override
        public Codec create(String tenant) {
            return new Codec();
        }

        @Override
        public PooledObject<Codec> wrap(Codec codec) {
            return new DefaultPooledObject<>(codec);
        }
    }

    /** Creates the pool with its defaults. */
    public KeyedPoolPerTenant() {
    }

    @Override
    public void run() {
        busy.request();
        String tenant = "tenant-" + (++calls / 50);
        Codec codec;
        try {
            codec = pool.borrowObject(tenant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            encoded += codec.encode(calls);
        } finally {
            pool.returnObject(tenant, codec);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
