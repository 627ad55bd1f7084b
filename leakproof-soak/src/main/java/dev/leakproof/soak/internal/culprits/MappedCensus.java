package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Mapped-memory culprits: which file's mappings grow, and where they are made.
 *
 * <p>Design note. A region mapped with {@code FileChannel.map} stays mapped until its buffer is collected, and the
 * buffer is a small object: the heap may grow too little to be judged a leak, and JFR's old-object samples (about
 * one per megabyte allocated) seldom catch it. Two sources need no luck. The kernel's list of this process's
 * mappings ({@code /proc/self/maps}) says which file's regions grow; async-profiler traces every call of
 * {@value #MAP} with its caller's stack ({@link NativeProfiler#trace}), which says where they are made. The JDK's
 * "mapped" buffer pool gives the rates. A live old-object sample of a mapped buffer, when there is one, adds who
 * holds it.
 */
final class MappedCensus implements Census {
    /** The JDK method every {@code FileChannel.map} goes through. */
    static final String MAP = "sun.nio.ch.FileChannelImpl.map";
    /** Classes of a mapped region's buffer or segment. */
    static final Set<String> BUFFERS = Set.of("java.nio.DirectByteBuffer", "java.nio.DirectByteBufferR",
            "jdk.internal.foreign.MappedMemorySegmentImpl");
    private static final Path MAPS = Path.of("/proc/self/maps");

    private final Optional<BufferPoolMXBean> pool = Census.bufferPool("mapped");
    private final Series series = new Series(1);
    private final Series files = new Series(16);
    private final MethodTrace trace;

    /** @param dir where the tracing profiler writes */
    MappedCensus(Path dir) {
        this.trace = new MethodTrace(dir, MAP);
    }

    @Override
    public String probe() {
        return "mapped";
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of(Recorder.Need.OLD_OBJECTS);
    }

    /** @return its trace of {@value #MAP}; without async-profiler the culprit still names the file */
    @Override
    public MethodTrace trace() {
        return trace;
    }

    @Override
    public void baseline() {
        series.prime("mapped");
        mappedFiles().keySet().forEach(files::prime);
    }

    @Override
    public void observe(long iteration) {
        pool.ifPresent(p -> {
            series.next(iteration);
            series.add("mapped", p.getCount(), p.getMemoryUsed());
        });
        files.next(iteration);
        mappedFiles().forEach((file, regionAndBytes) -> files.add(file, regionAndBytes[0], regionAndBytes[1]));
        trace.mark(iteration);
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        // the collector stopped the trace before the recording (CulpritCollector.stopTracing)
        if (series.keys() == 0 || series.observations() < Trend.MIN_OBSERVATIONS) {
            return List.of();
        }
        Trend bytes = series.bytesTrend(0);
        Trend count = series.countTrend(0);
        boolean steps = !bytes.grows() && probeSlope > 0 && bytes.growsInSteps(DirectCensus.STEP_SHARE * probeSlope);
        if (!bytes.grows() && !steps) {
            return List.of();
        }
        String file = growingFile();
        List<String> stack = List.of();
        String where = "";
        List<NativeProfiler.TracedSite> sites = trace.sites();
        if (!sites.isEmpty() && sites.getFirst().perIteration() > 0) {
            stack = sites.getFirst().stack();
            where = "FileChannel.map called here " + NativeProfiler.howOften(sites.getFirst().perIteration())
                    + " (async-profiler traced every call)";
        }
        Evidence.Holder h = evidence.holderOfAny(BUFFERS);
        List<String> path = h.path();
        if (stack.isEmpty()) {
            stack = h.stack();
            where = h.samples() > 0 ? h.samples() + " live JFR old-object samples of mapped buffers" : "";
        }
        String kind = file.isEmpty() ? "mapped regions" : "mapped file " + file;
        String why = (steps ? "grows in steps; " : "") + (file.isEmpty() ? "no file's mappings grew in /proc/self/maps"
                : "the regions of " + file + " grow in /proc/self/maps") + (where.isEmpty() ? "" : "; " + where)
                + (path.isEmpty() ? "" : "; held as the path shows");
        double perIteration = steps ? count.netPerIteration() : count.perIteration();
        double bytesPerIteration = steps ? bytes.netPerIteration() : bytes.perIteration();
        return List.of(new SoakCulprit(probe(), "mapped", kind, perIteration, bytesPerIteration,
                Census.share(bytesPerIteration, probeSlope), Math.max(0, count.lastCount() - Math.round(count.first())),
                Math.max(0, bytes.lastCount() - Math.round(bytes.first())), user.pick(stack), stack, path, why));
    }

    /** @return the file whose mapped bytes grow fastest over the observations, or "" */
    private String growingFile() {
        String best = "";
        double most = 0;
        for (int row = 0; row < files.keys(); row++) {
            Trend t = files.bytesTrend(row);
            if (t.grows() && t.perIteration() > most) {
                most = t.perIteration();
                best = files.key(row);
            }
        }
        return best;
    }

    /**
     * @return per mapped file (libraries, jars and the JVM's own files left out), its regions and their bytes; empty
     *         where {@code /proc/self/maps} cannot be read
     */
    static Map<String, long[]> mappedFiles() {
        Map<String, long[]> out = new HashMap<>();
        try (Stream<String> lines = Files.lines(MAPS)) {
            lines.forEach(line -> {
                String[] f = line.split("\\s+", 6);
                if (f.length < 6 || !f[5].startsWith("/") || isCode(f[5])) {
                    return;
                }
                int dash = f[0].indexOf('-');
                long size = Long.parseUnsignedLong(f[0].substring(dash + 1), 16)
                        - Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                long[] v = out.computeIfAbsent(f[5], k -> new long[2]);
                v[0]++;
                v[1] += size;
            });
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** @return whether a mapped path is code or the JVM's own (libraries, jars, the class data archive) */
    private static boolean isCode(String path) {
        return path.contains(".so") || path.endsWith(".jar") || path.endsWith(".jsa") || path.endsWith("/modules")
                || path.startsWith("/dev/") || path.startsWith("/memfd:") || path.startsWith("/usr/");
    }

    @Override
    public String note() {
        return pool.isPresent() ? trace.note()
                : "this JVM has no \"mapped\" buffer pool bean: mapped memory is not counted";
    }
}
