package dev.leakproof.soak.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.soak.internal.culprits.UserCode;
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

    @Test
    void aDowncallMadeByTheUsersOwnBindingIsShownAtTheCallerOfThatBinding() {
        List<String> wrapped = List.of("com.example.Libc.malloc(Libc.java:36)",
                "com.example.Frames.decode(Frames.java:80)", "com.example.FramesSoak.run(FramesSoak.java:12)");
        assertEquals("com.example.Frames.decode(Frames.java:80)",
                NativeProfiler.bindingCaller(wrapped, new UserCode("com.example.FramesSoak")));
        // the downcall made where the pointer is kept: that frame itself
        List<String> direct = List.of("com.example.SlabSoak.newSlab(SlabSoak.java:60)",
                "com.example.SlabSoak.run(SlabSoak.java:40)");
        assertEquals("com.example.SlabSoak.newSlab(SlabSoak.java:60)",
                NativeProfiler.bindingCaller(direct, new UserCode("com.example.SlabSoak")));
        // a binding nobody in user code called: the binding
        List<String> alone = List.of("com.example.Libc.malloc(Libc.java:36)",
                "java.util.concurrent.ForkJoinTask.doExec(ForkJoinTask.java:511)");
        assertEquals("com.example.Libc.malloc(Libc.java:36)",
                NativeProfiler.bindingCaller(alone, new UserCode("com.example.FramesSoak")));
    }
}
