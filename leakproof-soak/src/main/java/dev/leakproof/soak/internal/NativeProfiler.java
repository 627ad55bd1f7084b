package dev.leakproof.soak.internal;

import dev.leakproof.soak.SoakResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import one.profiler.AsyncProfiler;

/**
 * Native allocation culprits from async-profiler's {@code nativemem} mode, run inside this JVM.
 *
 * <p>Design note. The profiler hooks {@code malloc}/{@code free} in the import tables of the loaded
 * libraries and writes standard JFR with {@code profiler.Malloc} (address, size, mixed Java and native
 * stack) and {@code profiler.Free} (address) events. Pairing them by address, the mallocs never freed by
 * the end of the measured run are the survivors; grouped by stack and divided by the iterations, they are
 * bytes per iteration. Limit: {@code malloc} called by a native library is seen, but libc {@code malloc}
 * called directly through an FFM downcall is not (no import table of a library sits between Java and libc).
 */
public final class NativeProfiler {
    private static final int FRAMES = 24;
    private final AsyncProfiler profiler;
    private final Path file;

    private NativeProfiler(AsyncProfiler profiler, Path file) {
        this.profiler = profiler;
        this.file = file;
    }

    /**
     * Starts profiling, or says why it cannot.
     *
     * @param dir where the recording goes
     * @param why receives the reason when it cannot start
     * @return the running profiler, or null
     */
    public static NativeProfiler start(Path dir, StringBuilder why) {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        if (!os.startsWith("linux")) {
            why.append("async-profiler's nativemem mode works on Linux only (this is ").append(os).append(')');
            return null;
        }
        try {
            AsyncProfiler p = AsyncProfiler.getInstance();
            Path f = dir.resolve("native-allocations.jfr").toAbsolutePath();
            p.execute("start,event=nativemem,nativemem=0,file=" + f + ",jfr");
            return new NativeProfiler(p, f);
        } catch (Throwable t) {
            why.append("async-profiler could not start: ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage()).append(" (it needs Linux x64/arm64 and permission to load its library)");
            return null;
        }
    }

    /** @return the recording */
    public Path file() {
        return file;
    }

    /** Stops profiling and writes the recording. */
    public void stop() {
        try {
            profiler.execute("stop");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("async-profiler failed to stop: " + e.getMessage(), e);
        }
    }

    private record Alloc(long size, List<String> stack) {
    }

    /**
     * @param iterations measured iterations, to scale to per-iteration
     * @param top        culprits kept
     * @param minPerIteration  groups surviving less often than this per iteration are not culprits
     * @return survivors grouped by stack, most bytes first; the JVM's own allocations (a stack that starts in
     *         libjvm: the JIT, the GC) are left out, as the JVM's memory is charted by the nmt probe
     */
    public List<SoakResult.SoakCulprit> survivors(long iterations, int top, double minPerIteration) throws IOException {
        Map<Long, Alloc> live = new HashMap<>();
        Map<RecordedStackTrace, List<String>> stacks = new HashMap<>();
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("profiler.Malloc")) {
                    RecordedStackTrace st = e.getStackTrace();
                    List<String> stack = st == null ? List.of() : stacks.computeIfAbsent(st, NativeProfiler::frames);
                    live.put(e.getLong("address"), new Alloc(e.getLong("size"), stack));
                } else if (type.equals("profiler.Free")) {
                    live.remove(e.getLong("address"));
                }
            }
        }
        Map<List<String>, long[]> groups = new HashMap<>();
        for (Alloc a : live.values()) {
            long[] g = groups.computeIfAbsent(a.stack(), k -> new long[2]);
            g[0]++;
            g[1] += a.size();
        }
        List<SoakResult.SoakCulprit> out = new ArrayList<>();
        groups.forEach((stack, g) -> {
            double perIteration = (double) g[0] / iterations;
            if (!stack.isEmpty() && !stack.getFirst().startsWith("libjvm.so") && perIteration >= minPerIteration) {
                out.add(new SoakResult.SoakCulprit("native-libs", "native", "malloc", perIteration,
                        (double) g[1] / iterations, Double.NaN, g[0], g[1], "", stack, List.of(), ""));
            }
        });
        out.sort((a, b) -> Double.compare(b.bytesPerIteration(), a.bytesPerIteration()));
        return out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }

    private static List<String> frames(RecordedStackTrace st) {
        List<String> out = new ArrayList<>();
        for (RecordedFrame f : st.getFrames()) {
            if (out.size() == FRAMES) {
                break;
            }
            String type = f.getMethod().getType() == null ? "" : f.getMethod().getType().getName();
            // the profiler's own hook, and the JDK's generated glue between Java and a downcall, name nobody
            if (type.startsWith("libasyncProfiler") || type.startsWith("java.lang.invoke.LambdaForm$")
                    || type.startsWith("jdk.internal.foreign.abi.DowncallStub")) {
                continue;
            }
            String name = f.getMethod().getName();
            int line = f.getLineNumber();
            out.add((type.isEmpty() ? name : type + "." + name) + (f.isJavaFrame() && line > 0 ? ":" + line : "")
                    + (f.isJavaFrame() ? "" : " [native]"));
        }
        return List.copyOf(out);
    }
}
