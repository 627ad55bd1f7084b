package dev.leakproof.bench;

import dev.leakproof.core.Site;
import dev.leakproof.core.TrackedArena;
import dev.leakproof.core.Tracking;
import dev.leakproof.core.TrackingLevel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link TrackingBenchmark}'s FULL and Netty PARANOID comparison, with the allocation made {@code depth} frames
 * below the benchmark method. JMH's own stack is about 20 frames deep; a request in a web framework is often
 * 100 or more. Netty's PARANOID record fills a {@code Throwable} with the whole stack, so it costs more the
 * deeper the caller; leakproof's site key walks a fixed number of frames. The plain arena shows what the extra
 * frames cost by themselves.
 *
 * <p>Run: {@code leakproof-bench/run TrackingDepthBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TrackingDepthBenchmark {

    /** {@code leakproof-full-site} passes a site constant made once ({@link Site#here()}): no stack walked. */
    @Param({"plain-arena", "leakproof-full", "leakproof-full-site", "netty-paranoid"})
    public String mode;

    private static final Site SITE = Site.here();
    private Site site;

    /** Frames between the benchmark method and the allocation. */
    @Param({"0", "50", "150"})
    public int depth;

    private ResourceLeakDetector<Arena> netty;

    @Setup
    public void setUp() {
        switch (mode) {
            case "plain-arena" -> Tracking.setDefaultLevel(TrackingLevel.OFF);
            case "leakproof-full" -> Tracking.setDefaultLevel(TrackingLevel.FULL);
            case "leakproof-full-site" -> {
                Tracking.setDefaultLevel(TrackingLevel.FULL);
                site = SITE;
            }
            case "netty-paranoid" -> {
                ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
                netty = ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Arena.class);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    @Benchmark
    public long allocateAndClose(Blackhole bh) {
        return descend(depth, bh);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private long descend(int remaining, Blackhole bh) {
        return remaining == 0 ? allocateAndCloseHere(bh) : descend(remaining - 1, bh);
    }

    private long allocateAndCloseHere(Blackhole bh) {
        if (netty == null) {
            // at OFF the tracked arena is the JDK's own: the plain baseline
            try (Arena a = site == null ? TrackedArena.ofConfined() : TrackedArena.ofConfined(site)) {
                bh.consume(a);
                return a.allocate(64).address();
            }
        }
        Arena a = Arena.ofConfined();
        bh.consume(a);
        ResourceLeakTracker<Arena> tracker = netty.track(a);
        long v = a.allocate(64).address();
        a.close();
        if (tracker != null) {
            tracker.close(a);
        }
        return v;
    }
}
