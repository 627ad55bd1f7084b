package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Native culprits: async-profiler's {@code nativemem} mode over the pass ({@link NativeProfiler}), marked at each
 * observation, so that a stack's live allocations are a trend over the same points as the other censuses.
 */
final class NativeCensus implements Census {
    /** Stacks named per pass. */
    static final int TOP = 10;

    private final String probe;
    private final Path dir;
    private NativeProfiler profiler;
    private String note = "";
    private long lastIteration;

    /**
     * @param probe the native probe explained ({@code native-libs} or {@code native-malloc})
     * @param dir   where the profiler writes
     */
    NativeCensus(String probe, Path dir) {
        this.probe = probe;
        this.dir = dir;
    }

    @Override
    public String probe() {
        return probe;
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of();
    }

    /** Starts the profiler: its profile starts with the pass. */
    @Override
    public void baseline() {
        StringBuilder why = new StringBuilder();
        profiler = NativeProfiler.start(dir, why);
        note = why.toString();
    }

    @Override
    public void observe(long iteration) {
        if (profiler != null) {
            profiler.mark(iteration);
            lastIteration = iteration;
        }
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        if (profiler == null) {
            return List.of();
        }
        try {
            stop();
            NativeProfiler.Findings f = profiler.findings(probe, lastIteration, probeSlope, user, TOP);
            note = f.message();
            return f.culprits();
        } catch (IOException | RuntimeException e) {
            note = "reading async-profiler's recording failed: " + e;
            return List.of();
        }
    }

    /** Stops the profiler if it runs; a second call does nothing. */
    void stop() {
        if (profiler != null) {
            profiler.stop();
        }
    }

    @Override
    public String note() {
        return note;
    }
}
