package dev.leakproof.corpus;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures what a case really holds, without leakproof: runs it, reads heap after GC, glibc's malloc'd bytes,
 * direct buffers, live threads, open descriptors and loaded classes at checkpoints, and prints the growth per iteration between
 * the first checkpoint and each later one. This is how the corpus checks that a case leaks what its truth says
 * (and that a clean case stays put), independently of the tool under test.
 *
 * <pre>
 * java -cp leakproof-corpus/target/test-classes:leakproof-corpus/target/classes:leakproof-corpus/target/lib/* \
 *      --enable-native-access=ALL-UNNAMED dev.leakproof.corpus.CaseGrowth CASE [ITERATIONS [CHECKPOINTS]]
 * </pre>
 */
public final class CaseGrowth {
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final MethodHandle MALLINFO = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("mallinfo2").orElseThrow(), FunctionDescriptor.of(MALLINFO2));

    private CaseGrowth() {
    }

    /**
     * A reading.
     *
     * @param heap    heap used after GC
     * @param malloc  glibc in use (uordblks + hblkhd)
     * @param direct  direct buffer pool bytes
     * @param threads live threads
     * @param fds     open descriptors
     * @param classes loaded classes (hidden ones included)
     */
    record Reading(long heap, long malloc, long direct, long threads, long fds, long classes) {
    }

    /**
     * @param args CASE [ITERATIONS [CHECKPOINTS]]
     * @throws Exception if the case fails
     */
    public static void main(String[] args) throws Exception {
        Corpus.Case kase = Corpus.named(args[0]);
        long iterations = args.length > 1 ? Long.parseLong(args[1]) : 52_000;
        int checkpoints = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Runnable r = (Runnable) kase.type().getConstructor().newInstance();
        long warm = 2_000;
        for (long i = 0; i < warm; i++) {
            r.run();
        }
        Reading first = read();
        long done = warm;
        long step = (iterations - warm) / checkpoints;
        System.out.printf(Locale.ROOT, "%s (truth %s %s %s/it)%n", kase.name(), kase.expect().verdict(),
                kase.expect().probe(), CorpusMain.rate(kase.expect()));
        System.out.printf(Locale.ROOT, "%10s %12s %12s %12s %10s %10s %10s%n", "calls", "heap B/it", "malloc B/it",
                "direct B/it", "threads/it", "fds/it", "classes/it");
        for (int c = 1; c <= checkpoints; c++) {
            for (long i = 0; i < step; i++) {
                r.run();
            }
            done += step;
            Reading now = read();
            double n = done - warm;
            System.out.printf(Locale.ROOT, "%10d %12.2f %12.2f %12.2f %10.5f %10.5f %10.5f%n", done,
                    (now.heap - first.heap) / n, (now.malloc - first.malloc) / n, (now.direct - first.direct) / n,
                    (now.threads - first.threads) / n, (now.fds - first.fds) / n, (now.classes - first.classes) / n);
        }
        if (r instanceof AutoCloseable ac) {
            ac.close();
        }
    }

    static Reading read() throws Exception {
        // the project's own settling: full GCs until reference processing is done, cleaners given their turn
        dev.leakproof.core.Tracking.settle();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long malloc;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mi = (MemorySegment) MALLINFO.invokeExact((SegmentAllocator) a);
            malloc = mi.get(ValueLayout.JAVA_LONG, 7 * 8) + mi.get(ValueLayout.JAVA_LONG, 4 * 8);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        return new Reading(heap, malloc, direct, Thread.getAllStackTraces().size(), fds,
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }
}
