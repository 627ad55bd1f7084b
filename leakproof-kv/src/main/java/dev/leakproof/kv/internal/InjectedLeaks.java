package dev.leakproof.kv.internal;

/**
 * Fault switches that make the driver skip exactly one release on its real code path, to replay the
 * 2015 post's leaks on demand (the {@code --leaky} scenarios of the {@code leakproof} command and their
 * tests). They are not settings: nothing in the public API, no system property and no environment variable
 * reaches them; only {@link #injectForDemonstration(Leak)} does, from this non-exported package.
 *
 * <p>Checking a switch costs one read of a volatile int on the path it guards.
 */
public final class InjectedLeaks {

    /** The releases that can be skipped. */
    public enum Leak {
        /** The merge operator's callback handle is never released at close (a Persistent never Reset). */
        CALLBACK_HANDLE,
        /** The async path never gives its work item back (a {@code uv_work_t} never deleted). */
        WORK_ITEM,
        /** A value returned by {@code rocksdb_get} (on Redis: a reply of hiredis) is never freed. */
        NATIVE_RESULT,
        /** The iterator behind {@code Tag.getEntries} is never destroyed. */
        ITERATOR,
        /** Closing a cluster leaves its RocksDB options undestroyed (on Redis: its hiredis contexts unfreed). */
        OPEN_CLOSE
    }

    private static volatile int active;

    private InjectedLeaks() {
    }

    /**
     * Turns one leak on until {@link #clearAll()}.
     *
     * @param leak the release to skip
     */
    public static void injectForDemonstration(Leak leak) {
        synchronized (InjectedLeaks.class) {
            active |= 1 << leak.ordinal();
        }
    }

    /** Turns every injected leak off. */
    public static void clearAll() {
        active = 0;
    }

    /**
     * @param leak a leak
     * @return whether the release it names must be skipped
     */
    public static boolean skip(Leak leak) {
        int a = active;
        return a != 0 && (a & (1 << leak.ordinal())) != 0;
    }
}
