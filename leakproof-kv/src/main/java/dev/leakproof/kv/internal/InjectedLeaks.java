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

    /** The releases that can be skipped: each switch skips exactly one release on one path. */
    public enum Leak {
        /**
         * Skips {@code Handle.release()} of the handle that pins an async call's {@code CompletableFuture} in
         * {@code Cluster}'s callback table, after its after-work completed the future (a Persistent never
         * Reset): one handle stays pinned per async call. Nothing native is skipped.
         */
        CALLBACK_HANDLE,
        /**
         * Makes every async call allocate one extra work item of the cluster's queue that it neither submits nor
         * releases (a {@code uv_work_t} never deleted); the call's own item is submitted and released as usual.
         */
        WORK_ITEM,
        /**
         * Skips the close of the {@link Owned} of a value {@code rocksdb_get} malloc'd (in {@code Store.take}):
         * the value is copied to Java and never given to {@code rocksdb_free}, and its {@code rocksdb-value}
         * token stays open. On Redis Cluster: a hiredis reply is never given to {@code freeReplyObject} and
         * its {@code hiredis-reply} token stays open.
         */
        NATIVE_RESULT,
        /**
         * Skips the close of the {@link Owned} of a scan's read options (in {@code Store.scan}, the options that
         * carry the iterate upper bound): {@code rocksdb_readoptions_destroy} is never called and the
         * {@code rocksdb-readoptions} token stays open. The scan's iterator itself is destroyed as usual.
         */
        ITERATOR,
        /**
         * Skips the close of the {@link Owned} of a store's {@code rocksdb_options_t} (the options it was opened
         * with), on {@code Store.close()} and on the rollback of a failed open alike:
         * {@code rocksdb_options_destroy} is never called and the {@code rocksdb-options} token stays open.
         * Everything else the store made is released. On Redis Cluster: closing the cluster leaves its hiredis
         * contexts unfreed ({@code redisFree} never called, the {@code hiredis-context} tokens open).
         */
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
