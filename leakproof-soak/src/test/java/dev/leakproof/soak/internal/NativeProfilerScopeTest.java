package dev.leakproof.soak.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which native allocation stacks explain which probe. */
class NativeProfilerScopeTest {
    private static final List<String> ARENA = List.of("os::malloc [libjvm.so]", "Unsafe_AllocateMemory0 [libjvm.so]",
            "jdk.internal.misc.Unsafe.allocateMemory0(Unsafe.java)",
            "jdk.internal.misc.Unsafe.allocateMemory(Unsafe.java:633)",
            "jdk.internal.foreign.NativeMemorySegmentImpl.makeNativeSegment(NativeMemorySegmentImpl.java:140)",
            "com.example.Labels.intern(Labels.java:21)");
    private static final List<String> JIT = List.of("os::malloc [libjvm.so]", "Arena::grow [libjvm.so]",
            "Compile::Compile [libjvm.so]");
    private static final List<String> LIBRARY = List.of("malloc [libc.so.6]", "ZSTD_createCCtx [libzstd-jni.so]",
            "com.github.luben.zstd.ZstdCompressCtx.<init>(ZstdCompressCtx.java:62)");

    @Test
    void ffmArenaMemoryExplainsNativeLibsAndDirectWhileTheJvmsOwnExplainsNeither() {
        // native-libs keeps Unsafe.allocateMemory in (NMT's "Other"), so its culprits must too
        assertTrue(NativeProfiler.Scope.LIBRARIES.keeps(ARENA));
        assertTrue(NativeProfiler.Scope.DIRECT.keeps(ARENA));
        assertFalse(NativeProfiler.Scope.LIBRARIES.keeps(JIT));
        assertFalse(NativeProfiler.Scope.DIRECT.keeps(JIT));
        assertTrue(NativeProfiler.Scope.LIBRARIES.keeps(LIBRARY));
        assertFalse(NativeProfiler.Scope.DIRECT.keeps(LIBRARY));
    }
}
