package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A native staging buffer for a batch writer: each iteration appends a 512-byte record to a buffer that is
 * {@code malloc}'d at 4 KiB and {@code realloc}'d to twice its size when full, and every 2,048 iterations the batch
 * is "flushed" and the buffer {@code free}d. Native memory climbs to 1 MiB and drops to nothing, 2,048 iterations
 * a tooth, for the whole run: a sawtooth with a flat floor, not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs",
        summary = "a native FFM staging buffer realloc-doubled to 1 MiB, freed every 2,048 iterations (sawtooth)")
public final class NativeStagingSawtooth implements Runnable, AutoCloseable {
    private static final long RECORD = 512;
    private static final int PER_BATCH = 2048;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = handle("malloc",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle REALLOC = handle("realloc",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = handle("free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    private final Toil toil = new Toil();
    private MemorySegment buffer = MemorySegment.NULL;
    private long capacity;
    private long used;
    private int records;
    private long flushed;

    /** No buffer until the first record. */
    public NativeStagingSawtooth() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d);
    }

    @Override
    public void run() {
        toil.request();
        try {
            if (buffer.equals(MemorySegment.NULL)) {
                capacity = 4096;
                buffer = checked((MemorySegment) MALLOC.invokeExact(capacity));
            } else if (used + RECORD > capacity) {
                capacity *= 2;
                buffer = checked((MemorySegment) REALLOC.invokeExact(buffer, capacity));
            }
            MemorySegment view = buffer.reinterpret(capacity);
            view.asSlice(used, RECORD).fill((byte) records);
            view.set(ValueLayout.JAVA_LONG, used, toil.sink());
            used += RECORD;
            if (++records == PER_BATCH) {
                flushed += view.get(ValueLayout.JAVA_LONG, 0);
                FREE.invokeExact(buffer);
                buffer = MemorySegment.NULL;
                used = 0;
                records = 0;
            }
        } catch (Throwable t) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("native staging buffer failed", t);
        }
    }

    private static MemorySegment checked(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("native staging buffer: allocation returned NULL");
        }
        return p;
    }

    @Override
    public void close() {
        if (!buffer.equals(MemorySegment.NULL)) {
            try {
                FREE.invokeExact(buffer);
            } catch (Throwable t) {
                throw new IllegalStateException("free failed", t);
            }
            buffer = MemorySegment.NULL;
        }
    }
}
