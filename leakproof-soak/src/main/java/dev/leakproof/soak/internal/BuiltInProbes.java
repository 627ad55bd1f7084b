package dev.leakproof.soak.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.leakproof.core.Tracking;
import dev.leakproof.soak.Probe;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The probes leakproof ships. */
@SuppressWarnings("restricted") // the mallinfo2 downcall
public final class BuiltInProbes {
    private BuiltInProbes() {
    }

    public static List<Probe> all() {
        Probe malloc = nativeMalloc();
        return List.of(heap(), metaspace(), malloc, nativeLibs(malloc), rss(), direct(), mapped(), nmt(), tracked(),
                trackedCount(), classes(), threads(), fds());
    }

    private record Simple(String name, Unit unit, String description, Availability availability,
                          DoubleSupplier reader) implements Probe {
        @Override
        public double read() {
            return reader.getAsDouble();
        }
    }

    static Probe heap() {
        return new Simple("heap", Probe.Unit.BYTES, "Java heap used after a full GC",
                Probe.Availability.AVAILABLE,
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    // ---- glibc mallinfo2

    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));

    static Probe nativeMalloc() {
        String desc = "bytes in use by glibc malloc (mallinfo2: uordblks + hblkhd), all native libraries included";
        Optional<MemorySegment> fn = Linker.nativeLinker().defaultLookup().find("mallinfo2");
        if (fn.isEmpty()) {
            return new Simple("native-malloc", Probe.Unit.BYTES, desc, Probe.Availability.unavailable(
                    "mallinfo2 not found: needs glibc 2.33 or newer on Linux (this is " + System.getProperty("os.name")
                            + ")"), () -> Double.NaN);
        }
        MethodHandle mh = Linker.nativeLinker().downcallHandle(fn.get(), FunctionDescriptor.of(MALLINFO2));
        return new Simple("native-malloc", Probe.Unit.BYTES, desc, Probe.Availability.AVAILABLE, () -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment info = (MemorySegment) mh.invokeExact((java.lang.foreign.SegmentAllocator) a);
                return info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks")))
                        + info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
            } catch (Throwable t) {
                throw new IllegalStateException("mallinfo2 failed", t);
            }
        });
    }

    // ---- /proc

    private static final Path STATUS = Path.of("/proc/self/status");

    static Probe rss() {
        String desc = "resident set size of the process (VmRSS)";
        if (!Files.isReadable(STATUS)) {
            return new Simple("rss", Probe.Unit.BYTES, desc, Probe.Availability.unavailable(
                    "/proc/self/status is not readable (not Linux)"), () -> Double.NaN);
        }
        Pattern vmRss = Pattern.compile("VmRSS:\\s+(\\d+) kB");
        return new Simple("rss", Probe.Unit.BYTES, desc, Probe.Availability.AVAILABLE, () -> {
            try {
                Matcher m = vmRss.matcher(Files.readString(STATUS));
                if (!m.find()) {
                    throw new IllegalStateException("no VmRSS line in /proc/self/status");
                }
                return Long.parseLong(m.group(1)) * 1024.0;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc/self/status", e);
            }
        });
    }

    /**
     * Metaspace used: class metadata, outside the heap and outside glibc's malloc (metaspace maps its own
     * memory), so a class or class-loader leak shows here and almost nowhere else.
     */
    static Probe metaspace() {
        Optional<MemoryPoolMXBean> pool = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Metaspace")).findFirst();
        String desc = "class metadata in metaspace (the \"Metaspace\" memory pool, used)";
        return pool.<Probe>map(p -> new Simple("metaspace", Probe.Unit.BYTES, desc, Probe.Availability.AVAILABLE,
                        () -> p.getUsage().getUsed()))
                .orElseGet(() -> new Simple("metaspace", Probe.Unit.BYTES, desc,
                        Probe.Availability.unavailable("this JVM has no \"Metaspace\" memory pool"),
                        () -> Double.NaN));
    }

    static Probe direct() {
        Optional<BufferPoolMXBean> pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst();
        String desc = "direct ByteBuffer memory (the \"direct\" BufferPoolMXBean)";
        return pool.<Probe>map(p -> new Simple("direct", Probe.Unit.BYTES, desc, Probe.Availability.AVAILABLE,
                        p::getMemoryUsed))
                .orElseGet(() -> new Simple("direct", Probe.Unit.BYTES, desc,
                        Probe.Availability.unavailable("this JVM has no \"direct\" buffer pool bean"), () -> Double.NaN));
    }

    /** Memory-mapped file regions still referenced ({@code FileChannel.map}): address space a leak keeps mapped. */
    static Probe mapped() {
        Optional<BufferPoolMXBean> pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("mapped")).findFirst();
        String desc = "memory-mapped file regions still referenced (the \"mapped\" BufferPoolMXBean)";
        return pool.<Probe>map(p -> new Simple("mapped", Probe.Unit.BYTES, desc, Probe.Availability.AVAILABLE,
                        p::getMemoryUsed))
                .orElseGet(() -> new Simple("mapped", Probe.Unit.BYTES, desc,
                        Probe.Availability.unavailable("this JVM has no \"mapped\" buffer pool bean"),
                        () -> Double.NaN));
    }

    private static final Pattern NMT_MALLOC = Pattern.compile("\\n\\s*malloc: (\\d+)(KB|B)? #(\\d+)");
    /**
     * What glibc holds beyond what NMT counts, per JVM malloc: its 8-byte chunk header and the rounding to 16
     * bytes (8 on average). Without it, every malloc the JVM keeps (symbols, JIT metadata, the sampling's own
     * bookkeeping) leaked its overhead into this probe: about 1 KB per sample, measured with a soak of an empty
     * operation; with it, about 0.1 KB.
     */
    private static final long NMT_MALLOC_OVERHEAD = 16;
    /** NMT's "Other" category holds Unsafe.allocateMemory, so FFM arenas and direct memory: not the JVM's own. */
    private static final Pattern NMT_OTHER_MALLOC =
            Pattern.compile("-\\s+Other \\(reserved=\\d+(?:KB)?, committed=\\d+(?:KB)?\\)\\s*\\(malloc=(\\d+)(KB)?");

    /** @return whether Native Memory Tracking is on, and if not, why */
    private static String nmtMode() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("NativeMemoryTracking").getValue();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String nmtSummary() {
        try {
            return DiagnosticCommands.run("vmNativeMemory", "summary", "scale=b");
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("VM.native_memory summary failed", e);
        }
    }

    /**
     * glibc's bytes in use minus the JVM's own mallocs as NMT counts them (its total less its "Other"
     * category, where {@code Unsafe.allocateMemory}, hence FFM arenas and direct buffers, are counted): the
     * native memory of the libraries the program loaded (RocksDB here) and of its FFM allocations, without
     * the JVM's internal arenas, whose pooled chunks are freed in steps every few seconds and would drown a
     * small leak.
     */
    static Probe nativeLibs(Probe malloc) {
        String desc = "native memory outside the JVM: glibc bytes in use minus the JVM's own mallocs (NMT)";
        if (!malloc.availability().available()) {
            return new Simple("native-libs", Probe.Unit.BYTES, desc, malloc.availability(), () -> Double.NaN);
        }
        String mode = nmtMode();
        if (!mode.equals("summary") && !mode.equals("detail")) {
            return new Simple("native-libs", Probe.Unit.BYTES, desc, Probe.Availability.unavailable(
                    "Native Memory Tracking is " + mode + ": run the JVM with -XX:NativeMemoryTracking=summary "
                            + "(./leakproof does)"), () -> Double.NaN);
        }
        return new NativeLibs(desc, malloc);
    }

    /**
     * The native-libs probe. Its error bound: what glibc holds for each JVM malloc beyond what NMT counts is
     * estimated as {@value #NMT_MALLOC_OVERHEAD} bytes, but it is anything from about 16 to 48: NMT's own header
     * (16 bytes) and canary, glibc's chunk header (8), and the rounding to 16; how much of it glibc's "in use" total
     * shows depends on the chunk. So each JVM malloc counted by NMT carries ±16 bytes of doubt, and as the JVM's
     * own malloc count drifts (the JIT, symbol tables, GC bookkeeping of a busy heap), so may this probe, by up to
     * 16 bytes per malloc added. Measured: a bounded Caffeine cache and a Netty group started and stopped each
     * drifted 0.7–1.2 B/iteration here with no memory of their own kept (docs/soak-method.md).
     */
    private static final class NativeLibs implements Probe {
        private final String description;
        private final Probe malloc;
        private volatile long jvmMallocs;

        NativeLibs(String description, Probe malloc) {
            this.description = description;
            this.malloc = malloc;
        }

        @Override
        public String name() {
            return "native-libs";
        }

        @Override
        public Unit unit() {
            return Unit.BYTES;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public Availability availability() {
            return Availability.AVAILABLE;
        }

        @Override
        public double read() {
            String summary = nmtSummary();
            Matcher m = NMT_MALLOC.matcher(summary);
            if (!m.find()) {
                throw new IllegalStateException("no malloc total in VM.native_memory output");
            }
            long count = Long.parseLong(m.group(3));
            long jvm = Long.parseLong(m.group(1)) * ("KB".equals(m.group(2)) ? 1024 : 1) + count * NMT_MALLOC_OVERHEAD;
            Matcher other = NMT_OTHER_MALLOC.matcher(summary);
            if (other.find()) {
                jvm -= Long.parseLong(other.group(1)) * ("KB".equals(other.group(2)) ? 1024 : 1);
            }
            // NMT's "Other" (Unsafe.allocateMemory) stays in: FFM arenas and direct buffers are native memory the
            // program asked for. The JDK also counts both in the "direct" pool, so a leak of either shows on both
            // probes; taking the pool out here lost FFM arena leaks from native-libs (held-out round 3)
            double v = malloc.read() - jvm;
            jvmMallocs = count;
            return v;
        }

        @Override
        public double errorBound() {
            return 16.0 * jvmMallocs;
        }
    }

    static Probe nmt() {
        String desc = "JVM native memory committed in total (Native Memory Tracking summary)";
        String mode = nmtMode();
        if (!mode.equals("summary") && !mode.equals("detail")) {
            return new Simple("nmt", Probe.Unit.BYTES, desc, Probe.Availability.unavailable(
                    "Native Memory Tracking is " + mode + ": run the JVM with -XX:NativeMemoryTracking=summary"),
                    () -> Double.NaN);
        }
        Pattern total = Pattern.compile("Total: reserved=(\\d+)(KB)?, committed=(\\d+)(KB)?");
        return new Simple("nmt", Probe.Unit.BYTES, desc, Probe.Availability.AVAILABLE, () -> {
            Matcher m = total.matcher(nmtSummary());
            if (!m.find()) {
                throw new IllegalStateException("no total in VM.native_memory output");
            }
            return Long.parseLong(m.group(3)) * ("KB".equals(m.group(4)) ? 1024.0 : 1.0);
        });
    }

    static Probe tracked() {
        return new Simple("tracked", Probe.Unit.BYTES,
                "bytes of resources tracked by leakproof-core, live or leaked (all kinds)", Probe.Availability.AVAILABLE,
                () -> Tracking.totals().values().stream().mapToLong(t -> t.liveBytes() + t.leakedBytes()).sum());
    }

    static Probe trackedCount() {
        return new Simple("tracked-count", Probe.Unit.COUNT,
                "resources tracked by leakproof-core, live or leaked (all kinds)", Probe.Availability.AVAILABLE,
                () -> Tracking.totals().values().stream().mapToLong(t -> t.liveCount() + t.leakedCount()).sum());
    }

    static Probe classes() {
        return new RepeatedClasses();
    }

    static Probe threads() {
        return new Simple("threads", Probe.Unit.COUNT, "live platform threads", Probe.Availability.AVAILABLE,
                () -> ManagementFactory.getThreadMXBean().getThreadCount());
    }

    static Probe fds() {
        String desc = "open file descriptors";
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return new Simple("fds", Probe.Unit.COUNT, desc, Probe.Availability.AVAILABLE,
                    unix::getOpenFileDescriptorCount);
        }
        return new Simple("fds", Probe.Unit.COUNT, desc,
                Probe.Availability.unavailable("not a Unix JVM: open descriptors are not counted"), () -> Double.NaN);
    }
}
