package dev.leakproof.bench;

import dev.leakproof.core.LevelScope;
import dev.leakproof.core.Site;
import dev.leakproof.core.TrackedArena;
import dev.leakproof.core.Tracking;
import dev.leakproof.core.TrackingLevel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of tracking a native allocation: {@code allocate(64)} and close on a leakproof
 * {@link TrackedArena} at each tracking level, against a plain confined {@link Arena} and against a plain
 * arena tracked by Netty's {@link ResourceLeakDetector} at SIMPLE and PARANOID, in one run.
 * Targets (issue 11): SAMPLED costs less than Netty SIMPLE, FULL less than Netty PARANOID.
 *
 * <p>Run: {@code leakproof-bench/run TrackingBenchmark -prof gc}
 * (FULL and Netty PARANOID alone: {@code -p mode=leakproof-full,netty-paranoid})
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TrackingBenchmark {

    /**
     * The {@code -site} modes pass a site constant made once ({@link Site#here()}), so a recorded arena walks
     * no stack; the others capture the site of each recorded allocation with {@code StackWalker}.
     * {@code leakproof-sampled-scoped} is SAMPLED opened as a level scope on the benchmark thread over a default
     * of OFF (what a soak or a test pays: a thread-local read per creation while a scope is open).
     */
    @Param({"plain-arena", "leakproof-off", "leakproof-sampled", "leakproof-full", "leakproof-sampled-site",
            "leakproof-full-site", "leakproof-sampled-scoped", "netty-simple", "netty-paranoid"})
    public String mode;

    private static final Site SITE = Site.here();

    /**
     * false: the arena lives and dies inside the benchmark method, so C2 may scalar-replace the JDK arena
     * objects (the plain baseline then allocates nothing); true: the arena escapes to a blackhole, as an arena
     * passed to other code does.
     */
    @Param({"false", "true"})
    public boolean escape;

    private ResourceLeakDetector<Arena> netty;
    private int kind;
    /** The site constant of the {@code -site} modes, else null. */
    private Site site;
    /** The level scope of the {@code -scoped} mode, else null. */
    private LevelScope scope;

    @Setup
    public void setUp() {
        kind = switch (mode) {
            case "plain-arena" -> 0;
            case "leakproof-off" -> 1;
            case "leakproof-sampled" -> 2;
            case "leakproof-full" -> 3;
            case "leakproof-sampled-site" -> 2;
            case "leakproof-full-site" -> 3;
            case "leakproof-sampled-scoped" -> 2;
            case "netty-simple" -> 4;
            case "netty-paranoid" -> 5;
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        // this fork's process default: the benchmark measures the hot path with no scope open anywhere
        if (mode.endsWith("-scoped")) {
            // JMH runs a thread-scoped state's setup and teardown on the benchmark thread: the scope is its own
            Tracking.setDefaultLevel(TrackingLevel.OFF);
            scope = Tracking.levelScope(TrackingLevel.SAMPLED);
        } else if (kind >= 1 && kind <= 3) {
            Tracking.setDefaultLevel(switch (kind) {
                case 1 -> TrackingLevel.OFF;
                case 2 -> TrackingLevel.SAMPLED;
                default -> TrackingLevel.FULL;
            });
        }
        site = mode.endsWith("-site") ? SITE : null;
        if (kind >= 4) {
            ResourceLeakDetector.setLevel(kind == 4 ? ResourceLeakDetector.Level.SIMPLE
                    : ResourceLeakDetector.Level.PARANOID);
            netty = ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Arena.class);
        }
    }

    @TearDown
    public void tearDown() {
        if (scope != null) {
            scope.close();
        }
    }

    @Benchmark
    public long allocateAndClose(Blackhole bh) {
        if (kind == 0) {
            try (Arena a = Arena.ofConfined()) {
                sink(bh, a);
                return touch(a.allocate(64));
            }
        }
        if (kind <= 3) {
            try (Arena a = site == null ? TrackedArena.ofConfined() : TrackedArena.ofConfined(site)) {
                sink(bh, a);
                return touch(a.allocate(64));
            }
        }
        Arena a = Arena.ofConfined();
        sink(bh, a);
        ResourceLeakTracker<Arena> tracker = netty.track(a);
        long v = touch(a.allocate(64));
        a.close();
        if (tracker != null) {
            tracker.close(a);
        }
        return v;
    }

    private void sink(Blackhole bh, Arena a) {
        if (escape) {
            bh.consume(a);
        }
    }

    private static long touch(MemorySegment s) {
        return s.address();
    }
}
