package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An encoder stage on a fixed pool of 3 worker threads, each keeping a 32 KiB scratch buffer in a static
 * {@link ThreadLocal} that is never {@code remove()}d: the classic "ThreadLocal on a pooled thread" warning.
 * Every iteration hands the pool one encoding task and waits for its result. The pool's threads are the same all
 * run long, so there are at most 3 scratch buffers, made on each worker's first task and reused: nothing grows
 * after the first few calls — no leak, however suspicious the pattern reads. The pool is shut down at close.
 */
@Expect(verdict = Truth.NO_LEAK,
        summary = "a static ThreadLocal 32 KiB scratch per worker of a fixed 3-thread pool, never removed")
public final class ThreadLocalScratchPerWorker implements Runnable, AutoCloseable {
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[32 * 1024]);
    private final Toil toil = new Toil();
    private final ExecutorService workers = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "holdout2-encoder");
        t.setDaemon(true);
        return t;
    });
    private long calls;
    private long encoded;

    /** Creates the pool; its threads start with the first tasks. */
    public ThreadLocalScratchPerWorker() {
    }

    @Override
    public void run() {
        toil.request();
        long n = ++calls;
        Future<Integer> f = workers.submit(() -> encode(n));
        try {
            encoded += f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the encoder", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static int encode(long n) {
        byte[] scratch = SCRATCH.get();
        int len = (int) (64 + n % 256);
        for (int i = 0; i < len; i++) {
            scratch[i] = (byte) (n >>> (i & 7));
        }
        return len;
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
