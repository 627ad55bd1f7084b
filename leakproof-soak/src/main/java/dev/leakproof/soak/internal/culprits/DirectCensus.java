package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Direct-memory culprits: the "direct" buffer pool's memory and buffer count at each observation, attributed to
 * the allocation stacks of {@code java.nio.DirectByteBuffer} where JFR sampled one.
 *
 * <p>A direct buffer is a 64-byte heap object over native memory, and JFR samples the allocation that starts a
 * new TLAB, so a buffer is seldom the one sampled: the stack comes from a live {@code jdk.OldObjectSample} of a
 * {@code DirectByteBuffer} (which also gives who holds it), else from {@code jdk.ObjectAllocationSample} events of
 * that class, else there is none and the culprit, named {@code direct ByteBuffers}, says where to look. The pool
 * also counts the memory FFM arenas allocate (they reserve direct memory the same way).
 */
final class DirectCensus implements Census {
    private static final String BUFFER = "java.nio.DirectByteBuffer";

    private final Optional<BufferPoolMXBean> pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(p -> p.getName().equals("direct")).findFirst();
    private final Series series = new Series(1);
    private long countBefore;
    private long bytesBefore;

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
        if (!bytes.grows()) {
            return List.of();
        }
        Evidence.Holder h = evidence.holderOf(BUFFER);
        List<String> stack = h.direct() ? h.stack() : List.of();
        List<String> path = h.direct() ? h.path() : List.of();
        String note;
        if (!stack.isEmpty()) {
            note = h.samples() + " live JFR old-object samples of DirectByteBuffer";
        } else {
            Map<List<String>, Long> weights = new HashMap<>();
            int samples = 0;
            for (Evidence.AllocationSample a : evidence.allocations()) {
                if (a.type().startsWith(BUFFER)) {
                    weights.merge(a.stack(), a.weight(), Long::sum);
                    samples++;
                }
            }
            stack = weights.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(List.of());
            note = !stack.isEmpty()
                    ? "stack of " + samples + " JFR allocation samples of DirectByteBuffer (allocations, not "
                            + "necessarily the ones kept); no live old-object sample, so no path"
                    : "no JFR sample caught a DirectByteBuffer (JFR samples the allocation that starts a new TLAB "
                            + "and a buffer object is 64 bytes): if the heap grows too, its culprits show who holds "
                            + "the buffers; else a heap dump (jcmd <pid> GC.heap_dump) shows the GC roots of "
                            + "java.nio.DirectByteBuffer";
        }
        if (!count.grows()) {
            note = "the number of direct buffers does not grow, their memory does (larger buffers, or FFM arenas, "
                    + "which reserve direct memory too); " + note;
        }
        String kind = stack.isEmpty() ? "direct ByteBuffers" : BUFFER;
        return List.of(new SoakCulprit(probe(), "direct", kind, count.perIteration(), bytes.perIteration(),
                Census.share(bytes.perIteration(), probeSlope), Math.max(0, count.lastCount() - countBefore),
                Math.max(0, bytes.lastCount() - bytesBefore), user.pick(stack), stack, path, note));
    }

    @Override
    public String note() {
        return pool.isPresent() ? "" : "this JVM has no \"direct\" buffer pool bean: direct memory is not counted";
    }
}
