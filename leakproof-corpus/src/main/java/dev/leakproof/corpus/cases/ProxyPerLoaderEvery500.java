package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Every 500 iterations, makes a {@link Proxy} for {@link Handler} in a class loader of its own (as a plugin host
 * that reloads a plugin would) and keeps it in a list. Each proxy class is defined once per loader, and the
 * list keeps every loader reachable, so one class per 500 iterations stays loaded for as long as the loop runs:
 * a class-loader leak, about 5 KB of metaspace and a few hundred bytes of heap each.
 */
@Expect(verdict = Truth.LEAK, probe = "classes", perIteration = 1.0 / 500,
        culprit = "ProxyPerLoaderEvery500\\$PluginLoader", userFrame = "ProxyPerLoaderEvery500\\.(run|load)",
        summary = "a proxy class in a new class loader every 500 iterations, every loader kept")
public final class ProxyPerLoaderEvery500 implements Runnable {
    /** What a plugin exposes. */
    public interface Handler {
        /** @return a result */
        int handle();
    }

    /** A class loader per plugin load. */
    static final class PluginLoader extends ClassLoader {
        PluginLoader() {
            super(ProxyPerLoaderEvery500.class.getClassLoader());
        }
    }

    private final Work work = new Work();
    private final List<Handler> loaded = new ArrayList<>();
    private long calls;

    /** Creates the case; nothing loaded yet. */
    public ProxyPerLoaderEvery500() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 500 == 0) {
            loaded.add(load());
        }
    }

    private static Handler load() {
        return (Handler) Proxy.newProxyInstance(new PluginLoader(), new Class<?>[] {Handler.class},
                (proxy, method, args) -> 1);
    }
}
