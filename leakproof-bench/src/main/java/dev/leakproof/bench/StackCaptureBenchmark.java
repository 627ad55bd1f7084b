package dev.leakproof.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under any per-creation site capture: what the cheapest {@link StackWalker} walks cost on this JDK,
 * next to the {@link Throwable} that Netty's PARANOID detector records. {@code TrackingBenchmark}'s FULL
 * target (at most half of Netty PARANOID) is only reachable if a capture costs well under a {@code Throwable}.
 *
 * <ul>
 *   <li>{@code callerClass}: {@link StackWalker#getCallerClass()}, the class of one frame;
 *   <li>{@code classOnly}: one frame's class with {@link StackWalker.Option#DROP_METHOD_INFO};
 *   <li>{@code bytecodeIndex}: one frame's bytecode index (the walker resolves each frame's method);
 *   <li>{@code methodName}: one frame's method name (the name is also turned into a {@code String});
 *   <li>{@code siteKey}: what leakproof keys a site by: four frames, class and bytecode index;
 *   <li>{@code siteKeyWithNames}: the same plus the method names of two frames (leakproof's key until
 *       2026-11-25; names are now resolved only where a frame was invoked dynamically);
 *   <li>{@code throwable}: {@code new Throwable()}, whole stack, decoded only if printed.
 * </ul>
 *
 * <p>Run: {@code leakproof-bench/run StackCaptureBenchmark -p depth=0,50,150}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StackCaptureBenchmark {
    private static final StackWalker CLASSES = StackWalker.getInstance(
            Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.DROP_METHOD_INFO), 4);
    private static final StackWalker METHODS =
            StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE), 4);
    private static final StackWalker KEY = StackWalker.getInstance(
            Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES), 4);

    private static final Function<Stream<StackWalker.StackFrame>, Object> FIRST_CLASS =
            s -> s.findFirst().orElseThrow().getDeclaringClass();
    private static final Function<Stream<StackWalker.StackFrame>, Object> FIRST_BCI =
            s -> s.findFirst().orElseThrow().getByteCodeIndex();
    private static final Function<Stream<StackWalker.StackFrame>, Object> FIRST_NAME =
            s -> s.findFirst().orElseThrow().getMethodName();
    private static final Function<Stream<StackWalker.StackFrame>, Long> SITE_KEY = s -> siteKey(s, 0);
    private static final Function<Stream<StackWalker.StackFrame>, Long> SITE_KEY_WITH_NAMES = s -> siteKey(s, 2);

    /** Extra frames between the benchmark method and the capture (see {@code TrackingBenchmark#depth}). */
    @Param({"0"})
    public int depth;

    /** Which capture to run. */
    @Param({"callerClass", "classOnly", "bytecodeIndex", "methodName", "siteKey", "siteKeyWithNames", "throwable"})
    public String capture;

    @Benchmark
    public Object capture() {
        return descend(depth);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private Object descend(int remaining) {
        return remaining == 0 ? captureHere() : descend(remaining - 1);
    }

    private Object captureHere() {
        return switch (capture) {
            case "callerClass" -> CLASSES.getCallerClass();
            case "classOnly" -> CLASSES.walk(FIRST_CLASS);
            case "bytecodeIndex" -> METHODS.walk(FIRST_BCI);
            case "methodName" -> METHODS.walk(FIRST_NAME);
            case "siteKey" -> KEY.walk(SITE_KEY);
            case "siteKeyWithNames" -> KEY.walk(SITE_KEY_WITH_NAMES);
            case "throwable" -> new Throwable();
            default -> throw new IllegalArgumentException("unknown capture " + capture);
        };
    }

    /** The work of leakproof's site key (SiteCapture is internal to leakproof-core), with some names. */
    private static long siteKey(Stream<StackWalker.StackFrame> frames, int named) {
        long h = 1125899906842597L;
        int n = 0;
        var it = frames.iterator();
        while (n < 4 && it.hasNext()) { // n first: one hasNext() too many can fetch a second batch
            StackWalker.StackFrame f = it.next();
            h = 31 * h + System.identityHashCode(f.getDeclaringClass());
            h = 31 * h + f.getByteCodeIndex();
            if (n < named) {
                h = 31 * h + f.getMethodName().hashCode();
            }
            n++;
        }
        return h;
    }
}
