package dev.leakproof.corpus.cases;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libc's {@code malloc} and {@code free} through FFM downcalls: memory the JVM does not count as its own, which
 * the soak's {@code native-libs} probe sees (glibc in use minus the JVM's own mallocs).
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private Libc() {
    }

    /**
     * Allocates and fills {@code bytes} bytes, so the pages are really used.
     *
     * @param bytes size
     * @return the block, sized
     * @throws OutOfMemoryError if malloc returns NULL
     */
    @SuppressWarnings("restricted")
    static MemorySegment malloc(long bytes) {
        MemorySegment p;
        try {
            p = (MemorySegment) MALLOC.invokeExact(bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("malloc downcall failed", t);
        }
        if (p.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("malloc(" + bytes + ") returned NULL");
        }
        MemorySegment block = p.reinterpret(bytes);
        block.fill((byte) 0x5a);
        return block;
    }

    /** @param block a block from {@link #malloc(long)} */
    static void free(MemorySegment block) {
        try {
            FREE.invokeExact(block);
        } catch (Throwable t) {
            throw new IllegalStateException("free downcall failed", t);
        }
    }
}
