package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.reflect.Proxy;

/**
 * Makes a {@link Proxy} for {@link Handler} on every iteration in the case's own loader, whose proxy class the JDK
 * caches (one class for the whole run), and every 500 iterations one in a fresh class loader that is dropped at
 * once, so that loader and its proxy class are unloaded by the next full collection. Classes are defined all run
 * long and none accumulates: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "classes", perIteration = 0,
        summary = "a cached proxy per iteration, a proxy in a throwaway loader every 500 iterations")
public final class ProxiesCachedAndLoadersDropped implements Runnable {
    /** What the proxies expose. */
    public interface Handler {
        /** @return a result */
        int handle();
    }

    private final Work work = new Work();
    private long calls;
    private long sink;

    /** Creates the case. */
    public ProxiesCachedAndLoadersDropped() {
    }

    @Override
    public void run() {
        work.request();
        ClassLoader own = ProxiesCachedAndLoadersDropped.class.getClassLoader();
        Handler h = (Handler) Proxy.newProxyInstance(own, new Class<?>[] {Handler.class}, (p, m, a) -> 1);
        sink += h.handle();
        if (++calls % 500 == 0) {
            ClassLoader throwaway = new ClassLoader(own) {
            };
            Handler t = (Handler) Proxy.newProxyInstance(throwaway, new Class<?>[] {Handler.class}, (p, m, a) -> 2);
            sink += t.handle();
        }
    }
}
