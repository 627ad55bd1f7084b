package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * A metrics client that registers a JVM shutdown hook to flush what it buffered "in case the process dies", made
 * per request batch, a new client every 50 iterations, used for 50 calls and closed. Its {@code close()} flushes
 * but never calls {@link Runtime#removeShutdownHook}: the JDK's hook table keeps every hook's {@code Thread} (never
 * started, so no thread count moves) and through it the client with its 64-byte buffer, until the JVM exits. About
 * 400 bytes per client (the unstarted thread, its name, the bound method reference, the client, the hook table's
 * entry), about 8 bytes of heap per iteration, without bound: a small heap leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 8,
        culprit = "Thread|ApplicationShutdownHooks|IdentityHashMap|MetricsClient",
        userFrame = "ShutdownHookPerClientNeverRemoved",
        summary = "a shutdown hook per metrics client (every 50 iterations), never removed when the client closes")
public final class ShutdownHookPerClientNeverRemoved implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final List<Thread> forClose = new ArrayList<>();
    private MetricsClient client;
    private long calls;

    /** No client yet. */
    public ShutdownHookPerClientNeverRemoved() {
    }

    @Override
    public void run() {
        grind.once();
        if (calls % 50 == 0) {
            if (client != null) {
                client.close(); // flushes; the hook stays registered
            }
            client = new MetricsClient();
            Thread hook = new Thread(client::flush, "metrics-flush-" + calls / 50);
            Runtime.getRuntime().addShutdownHook(hook);
            forClose.add(hook);
        }
        client.count(calls++);
    }

    @Override
    public void close() {
        for (Thread hook : forClose) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        forClose.clear();
    }

    /** A client with a small buffer of counts. */
    static final class MetricsClient {
        private final long[] buffer = new long[8];
        private int used;
        private long flushed;

        void count(long v) {
            buffer[used++ & 7] += v;
        }

        void flush() {
            for (long v : buffer) {
                flushed += v;
            }
            used = 0;
        }

        void close() {
            flush();
        }
    }
}
