package dev.leakproof.corpus.holdout6;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A health check that asks libc for the process id through JNA, and (the code smell users bring) calls
 * {@link Native#load(String, Class)} for every check, a check every 100 iterations, instead of loading the library
 * once. Each load makes a new proxy and invocation handler, but JNA keeps one {@code NativeLibrary} per name and
 * options in its own table, and {@code dlopen} of an already loaded libc only counts a reference; the proxies are
 * dropped and collected. The heap moves with the garbage (and the native side with JNA's per-handler function
 * lookups), bounded: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "JNA",
        summary = "JNA Native.load(\"c\") per health check (every 100 iterations), the proxies dropped")
public final class JnaLibraryLoadedPerRequest implements Runnable {
    private final Grind grind = new Grind();
    private long calls;
    private long pids;

    /** No library loaded yet. */
    public JnaLibraryLoadedPerRequest() {
    }

    @Override
    public void run() {
        grind.once();
        if (calls++ % 100 == 0) {
            LibC c = Native.load("c", LibC.class);
            pids += c.getpid();
        }
    }

    /** The part of libc the check uses. */
    public interface LibC extends Library {
        /** @return the process id */
        int getpid();
    }
}
