package dev.leakproof.bench;

import dev.leakproof.core.WorkItem;
import dev.leakproof.core.WorkQueue;
import dev.leakproof.core.WorkQueueOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A round trip through a {@link WorkQueue} (work on a worker, after-work on the completion thread, caller
 * woken) with pooled items and with fresh ones ({@code pooling=false}), against
 * {@code CompletableFuture.supplyAsync(…, executor).join()} on an executor of the same size. With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the garbage per round trip. Target: pooled items add 0 B/op.
 *
 * <p>Run: {@code leakproof-bench/run WorkQueueBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dleakproof.tracking=off"})
public class WorkQueueBenchmark {
    private static final int WORKERS = 1;

    @Param({"true", "false"})
    public boolean pooling;

    private WorkQueue queue;
    private ExecutorService executor;
    private volatile long completed;
    private long expected;
    private final WorkQueue.Work<Object> work = item -> Boolean.TRUE;
    private final WorkQueue.AfterWork<Object> afterWork = (r, e) -> completed++;
    private final Supplier<Boolean> supplier = () -> Boolean.TRUE;

    @Setup(Level.Trial)
    public void setUp() {
        queue = WorkQueue.create(WorkQueueOptions.named("bench").withWorkers(WORKERS).withPooling(pooling));
        executor = Executors.newFixedThreadPool(WORKERS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        queue.close();
        executor.shutdown();
    }

    /** allocate, submit, wait for after-work: the queue owns the item and takes it back. */
    @Benchmark
    public long workQueueRoundTrip() {
        long target = ++expected;
        WorkItem item = queue.allocate();
        queue.submit(item, work, afterWork);
        while (completed < target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** The peer: a future per call on an executor with as many threads as the queue has workers. */
    @Benchmark
    public Boolean completableFutureRoundTrip() {
        return CompletableFuture.supplyAsync(supplier, executor).join();
    }
}
