package dev.leakproof.kv.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The capability of a {@link Backend} to run the most common operations without holding a thread while
 * they wait for the engine: each returns at once with a future that completes with the operation's result or
 * typed exception (the same as the blocking form's). The Redis Cluster backend pipelines these commands per
 * node; the embedded RocksDB backend has no such capability (its calls are short and run on workers).
 */
public interface PipelinedBackend {
    /** @see Backend#read(String, byte) */
    CompletableFuture<byte[]> readAsync(String alias, byte type);

    /** @see Backend#write(String, byte, byte[], long, boolean) */
    CompletableFuture<Void> writeAsync(String alias, byte type, byte[] payload, long expiry, boolean mustBeNew);

    /** @see Backend#add(String, long) */
    CompletableFuture<Long> addAsync(String alias, long delta);

    /** @see Backend#typeOf(String) */
    CompletableFuture<Byte> typeOfAsync(String alias);

    /** @see Backend#push(String, byte[], boolean) */
    CompletableFuture<Long> pushAsync(String alias, byte[] element, boolean front);

    /** @see Backend#pop(String, boolean) */
    CompletableFuture<byte[]> popAsync(String alias, boolean front);

    /** @see Backend#setInsert(String, byte[]) */
    CompletableFuture<Void> setInsertAsync(String alias, byte[] element);

    /** @see Backend#setContains(String, byte[]) */
    CompletableFuture<Boolean> setContainsAsync(String alias, byte[] element);

    /** @return where the cluster completes the futures it returns to users (never the engine's I/O threads) */
    Executor completions();
}
