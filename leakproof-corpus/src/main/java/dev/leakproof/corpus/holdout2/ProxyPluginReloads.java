package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A plugin host that "hot-reloads" its pricing plugin every 500 iterations: each reload makes a fresh
 * {@link ClassLoader} and a {@link Proxy} of the plugin interface in it (so the JDK defines a new proxy class, in
 * a new dynamic module, for that loader), and keeps every previous generation in a rollback history that is never
 * trimmed. The history keeps each proxy, hence its class, its loader, the loader's maps and the dynamic module
 * reachable: a class (and class loader) leak of one generation per 500 iterations, which shows on the heap
 * (mirrors, loaders, module and proxy-cache entries) as well as in metaspace and the VM's own class tables.
 * First estimated at 5 KB of heap a generation (10 B per iteration); measured without leakproof at 3.5 KB a
 * generation, 7 B per iteration (plus ~20 B per iteration of the VM's class and module bookkeeping in malloc).
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 7,
        culprit = "ClassLoader|Proxy|Class|Module|PluginLoader|history", userFrame = "ProxyPluginReloads",
        summary = "a new class loader + java.lang.reflect.Proxy class every 500 iterations, all kept for rollback")
public final class ProxyPluginReloads implements Runnable {
    /** What a plugin does. */
    public interface Pricing {
        /** @param cents a price @return the price with its markup */
        long price(long cents);
    }

    /** The loader of one plugin generation: it defines nothing itself, it only gives the proxy class a home. */
    static final class PluginLoader extends ClassLoader {
        PluginLoader(long generation, ClassLoader parent) {
            super("plugin-gen-" + generation, parent);
        }
    }

    private final Toil toil = new Toil();
    private final List<Pricing> history = new ArrayList<>();
    private Pricing current;
    private long calls;
    private long total;

    /** No plugin until the first call. */
    public ProxyPluginReloads() {
    }

    @Override
    public void run() {
        toil.request();
        if (calls++ % 500 == 0) {
            current = load(calls / 500);
            history.add(current);
        }
        total += current.price(calls);
    }

    private Pricing load(long generation) {
        long markup = 100 + generation % 7;
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "price" -> (Long) args[0] * markup / 100;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "pricing-gen-" + generation;
        };
        ClassLoader loader = new PluginLoader(generation, Pricing.class.getClassLoader());
        return (Pricing) Proxy.newProxyInstance(loader, new Class<?>[] {Pricing.class}, h);
    }
}
