package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Direct-memory culprits: the "direct" buffer pool's memory and buffer count at each observation, attributed to
 * allocation stacks.
 *
 * <p>Design note. Direct buffers and FFM arenas take their memory from {@code Unsafe.allocateMemory}, which mallocs
 * inside {@code libjvm.so}: async-profiler's {@code nativemem} mode sees those mallocs with the Java stack above
 * them, so when it runs ({@link NativeProfile}), the culprits are the stacks whose live allocations through
 * {@code Unsafe.allocateMemory} grow ({@link NativeProfiler.Scope#DIRECT}). Without it, the culprit is the pool's
 * growth, with the stack of a live JFR {@code jdk.OldObjectSample} of a {@code DirectByteBuffer} (which also says
 * who holds it) or of {@code jdk.ObjectAllocationSample} events of that class; a buffer is a 64-byte object and
 * JFR samples the allocation that starts a new TLAB, so that stack is often missing, and the culprit, named
 * {@code direct ByteBuffers}, says where to look. Growth in steps (a pool taking chunks of megabytes) counts when
 * it explains a quarter of the probe's growth.
 */
final class DirectCensus implements Census {
    private static final String BUFFER = "java.nio.DirectByteBuffer";
    /** Stacks named per pass. */
    static final int TOP = 10;
    /** Part of the probe's growth that growth in steps must explain. */
    static final double STEP_SHARE = 0.25;

    private final Optional<BufferPoolMXBean> pool = Census.bufferPool("direct");
    private final NativeProfile profile;
    private final Series series = new Series(1);
    private long countBefore;
    private long bytesBefore;
    private String profilerProblem = "";

    /** @param profile the pass's async-profiler session */
    DirectCensus(NativeProfile profile) {
        this.profile = profile;
    }

    @Override
    public String probe() {
        return "direct";
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of(Recorder.Need.OLD_OBJECTS, Recorder.Need.ALLOCATION_SAMPLES);
    }

    @Override
    public void baseline() {
        series.prime("direct");
        pool.ifPresent(p -> {
            countBefore = p.getCount();
            bytesBefore = p.getMemoryUsed();
        });
    }

    @Override
    public void observe(long iteration) {
        pool.ifPresent(p -> {
            series.next(iteration);
            series.add("direct", p.getCount(), p.getMemoryUsed());
        });
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        if (series.keys() == 0) {
            return List.of();
        }
        Trend bytes = series.bytesTrend(0);
        Trend count = series.countTrend(0);
        boolean steps = !bytes.grows() && probeSlope > 0 && bytes.growsInSteps(STEP_SHARE * probeSlope);
        if (!bytes.grows() && !steps) {
            return List.of();
        }
        List<SoakCulprit> stacks = profiled(probeSlope, evidence, user);
        if (!stacks.isEmpty()) {
            return stacks;
        }
        double perIteration = steps ? count.netPerIteration() : count.perIteration();
        double bytesPerIteration = steps ? bytes.netPerIteration() : bytes.perIteration();
        Evidence.Holder h = evidence.holderOf(BUFFER);
        List<String> stack = h.direct() ? h.stack() : List.of();
        List<String> path = h.direct() ? h.path() : List.of();
        String why;
        if (!stack.isEmpty()) {
            why = h.samples() + " live JFR old-object samples of DirectByteBuffer";
        } else {
            stack = allocationSampled(evidence);
            why = !stack.isEmpty()
                    ? "stack of JFR allocation samples of DirectByteBuffer (allocations, not necessarily the ones "
                            + "kept); no live old-object sample, so no path"
                    : "no JFR sample caught a DirectByteBuffer (JFR samples the allocation that starts a new TLAB "
                            + "and a buffer object is 64 bytes), and async-profiler "
                            + (profilerProblem.isEmpty() ? "saw no growing allocation through Unsafe.allocateMemory"
                                    : "could not help (" + profilerProblem + ")")
                            + ": if the heap grows too, its culprits show who holds the buffers; else a heap dump "
                            + "(jcmd <pid> GC.heap_dump) shows the GC roots of java.nio.DirectByteBuffer";
        }
        if (!count.grows() && !steps) {
            why = "the number of direct buffers does not grow, their memory does (larger buffers, or FFM arenas, "
                    + "which reserve direct memory too); " + why;
        }
        if (steps) {
            why = "grows in steps; " + why;
        }
        String kind = stack.isEmpty() ? "direct ByteBuffers" : BUFFER;
        return List.of(new SoakCulprit(probe(), "direct", kind, perIteration, bytesPerIteration,
                Census.share(bytesPerIteration, probeSlope), Math.max(0, count.lastCount() - countBefore),
                Math.max(0, bytes.lastCount() - bytesBefore), user.pick(stack), stack, path, why));
    }

    /** @return the growing stacks of allocations through Unsafe.allocateMemory that async-profiler saw */
    private List<SoakCulprit> profiled(double probeSlope, Evidence evidence, UserCode user) {
        NativeProfiler.Findings f;
        try {
            f = profile.findings(probe(), NativeProfiler.Scope.DIRECT, probeSlope, user, TOP);
        } catch (IOException | RuntimeException e) {
            profilerProblem = "reading async-profiler's recording failed: " + e;
            return List.of();
        }
        if (f == null) {
            profilerProblem = profile.unavailable();
            return List.of();
        }
        List<SoakCulprit> out = new ArrayList<>();
        for (SoakCulprit c : f.culprits()) {
            boolean buffer = c.stack().stream().anyMatch(s -> s.startsWith(BUFFER + ".<init>"));
            boolean arena = c.stack().stream().anyMatch(s -> s.startsWith("jdk.internal.foreign."));
            String kind = buffer ? BUFFER : arena ? "FFM arena memory" : "Unsafe.allocateMemory";
            Evidence.Holder h = buffer ? evidence.holderOf(BUFFER) : Evidence.Holder.NONE;
            List<String> path = h.direct() ? h.path() : List.of();
            out.add(new SoakCulprit(probe(), "direct", kind, c.perIteration(), c.bytesPerIteration(), c.share(),
                    c.liveAtEnd(), c.bytesAtEnd(), c.userFrame(), c.stack(), path,
                    (c.note().startsWith("grows in steps") ? "grows in steps; " : "")
                            + "live allocations through Unsafe.allocateMemory, seen by async-profiler"
                            + (path.isEmpty() ? "" : "; path of a live JFR old-object sample of DirectByteBuffer")));
        }
        return out;
    }

    private static List<String> allocationSampled(Evidence evidence) {
        Map<List<String>, Long> weights = new HashMap<>();
        for (Evidence.AllocationSample a : evidence.allocations()) {
            if (a.type().startsWith(BUFFER)) {
                weights.merge(a.stack(), a.weight(), Long::sum);
            }
        }
        return weights.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(List.of());
    }

    @Override
    public String note() {
        return pool.isPresent() ? "" : "this JVM has no \"direct\" buffer pool bean: direct memory is not counted";
    }
}
