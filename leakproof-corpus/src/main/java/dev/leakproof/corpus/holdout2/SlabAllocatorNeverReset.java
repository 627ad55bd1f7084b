package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A home-made bump allocator over FFM: it carves 32-byte message records out of 512 KiB slabs it {@code malloc}s
 * through the {@link Linker}, and only hands slabs back on {@code reset()}, which the owning code never calls
 * (records are "released" by dropping them). One record per iteration, so a new 512 KiB slab every 16,384
 * iterations and none ever freed: 32 B per iteration of native memory, arriving as 512 KiB steps — a step-shaped
 * native leak (glibc serves each slab by {@code mmap}, outside the JVM's accounting).
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 32,
        culprit = "malloc|slab", userFrame = "SlabAllocatorNeverReset", flags = "--native-culprits",
        summary = "32 B records bump-allocated from 512 KiB FFM-malloc'd slabs, never reset (a slab per 16,384 it)")
public final class SlabAllocatorNeverReset implements Runnable, AutoCloseable {
    private static final long SLAB = 512 * 1024;
    private static final long RECORD = 32;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    private final Toil toil = new Toil();
    private final List<MemorySegment> slabs = new ArrayList<>();
    private MemorySegment current = MemorySegment.NULL;
    private long used = SLAB;
    private long calls;

    /** No slab until the first record. */
    public SlabAllocatorNeverReset() {
    }

    @Override
    public void run() {
        toil.request();
        MemorySegment record = allocateRecord();
        record.set(ValueLayout.JAVA_LONG, 0, ++calls);
        record.set(ValueLayout.JAVA_LONG, 8, toil.sink());
    }

    private MemorySegment allocateRecord() {
        if (used + RECORD > SLAB) {
            current = newSlab();
            slabs.add(current);
            used = 0;
        }
        MemorySegment r = current.asSlice(used, RECORD);
        used += RECORD;
        return r;
    }

    private static MemorySegment newSlab() {
        MemorySegment p;
        try {
            p = (MemorySegment) MALLOC.invokeExact(SLAB);
        } catch (Throwable t) {
            throw new IllegalStateException("malloc failed", t);
        }
        if (p.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("malloc(" + SLAB + ") returned NULL");
        }
        return p.reinterpret(SLAB);
    }

    @Override
    public void close() {
        try {
            for (MemorySegment s : slabs) {
                FREE.invokeExact(s);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
        slabs.clear();
    }
}
