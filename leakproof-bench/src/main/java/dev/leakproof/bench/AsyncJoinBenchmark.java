package dev.leakproof.bench;

import dev.leakproof.core.WorkQueue;
import dev.leakproof.core.WorkQueueOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * A caller blocked on a future that a {@link WorkQueue} completes, with trivial work, the two ways side by side
 * in one queue: through the completion thread (caller → worker → completion thread → caller, three hand-offs)
 * and through a {@link WorkQueue.Rendezvous} (caller → worker → caller, two), each with the queue's spin at the
 * default and at zero; and the bare two-thread park/unpark ping-pong (two hand-offs and nothing else) as the
 * floor.
 *
 * <p>Run: {@code leakproof-bench/run AsyncJoinBenchmark -f 2 -rf text}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dleakproof.tracking=off"})
public class AsyncJoinBenchmark {
    @Param({"0", "20000"})
    public long spinNanos;

    private WorkQueue queue;
    private final WorkQueue.Work<Integer> work = item -> 1;

    @Setup(Level.Trial)
    public void setUp() {
        queue = WorkQueue.create(WorkQueueOptions.named("bench").withWorkers(2).withSpin(Duration.ofNanos(spinNanos)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        queue.close();
    }

    /** The after-work completes the future on the completion thread; the caller waits in join. */
    @Benchmark
    public Integer throughCompletionThread() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        queue.submit(work, (Integer r, Throwable e) -> f.complete(r));
        return f.join();
    }

    /** The caller waits in the rendezvous and runs the after-work itself. */
    @Benchmark
    public Integer throughRendezvous() throws InterruptedException {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        WorkQueue.Rendezvous rv = queue.newRendezvous();
        queue.submit(work, (Integer r, Throwable e) -> f.complete(r), rv);
        rv.await(f, -1, false);
        return f.join();
    }

    /** The floor: two hand-offs between parked threads and nothing else (same as in KvSideBySideBenchmark). */
    @Benchmark
    public long parkUnparkRoundTrip(KvSideBySideBenchmark.PingPong p) {
        return p.parkRoundTrip();
    }
}
