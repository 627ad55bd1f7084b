package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * A binding that hands a C library a NUL-terminated label for each new tenant. The label buffer (128 bytes) is
 * allocated in {@link Arena#global()} because "the native side may keep the pointer", and the global arena never
 * frees anything. A new tenant every 16 iterations: 128 bytes of native memory per 16 iterations, 8 B per
 * iteration asked for (plus the allocator's own headers), never freed — a small native leak that the JVM's heap
 * never sees. Each iteration passes the current label to libc's {@code strlen}, so the memory is really used.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 8,
        culprit = "malloc|allocateMemory|Unsafe|Arena|global", userFrame = "GlobalArenaTenantLabels",
        flags = "--native-culprits",
        summary = "a 128 B label in Arena.global() for a new tenant every 16 iterations (8 B/it, never freed)")
public final class GlobalArenaTenantLabels implements Runnable {
    private static final MethodHandle STRLEN = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("strlen").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private final Toil toil = new Toil();
    private MemorySegment label = MemorySegment.NULL;
    private long calls;
    private long lengths;

    /** No tenant yet; the first call makes one. */
    public GlobalArenaTenantLabels() {
    }

    @Override
    public void run() {
        toil.request();
        if (calls++ % 16 == 0) {
            label = labelFor(calls / 16);
        }
        try {
            lengths += (long) STRLEN.invokeExact(label);
        } catch (Throwable t) {
            throw new IllegalStateException("strlen failed", t);
        }
    }

    private static MemorySegment labelFor(long tenant) {
        MemorySegment s = Arena.global().allocate(128);
        byte[] text = ("tenant-" + tenant).getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(text, 0, s, ValueLayout.JAVA_BYTE, 0, text.length);
        s.set(ValueLayout.JAVA_BYTE, text.length, (byte) 0);
        return s;
    }
}
