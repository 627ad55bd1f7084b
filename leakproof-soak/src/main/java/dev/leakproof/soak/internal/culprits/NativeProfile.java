package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The pass's one async-profiler session ({@code nativemem}), shared by the censuses that read it: native libraries'
 * memory ({@link NativeCensus}) and direct memory ({@link DirectCensus}). Started after the JFR recording, marked at
 * each observation, stopped before the recording (whose path search allocates).
 */
final class NativeProfile {
    private final Path dir;
    private NativeProfiler profiler;
    private String unavailable = "async-profiler was not started";

    /** @param dir where the profiler will write */
    NativeProfile(Path dir) {
        this.dir = dir;
    }

    /** Starts the profiler, or records why it cannot run. */
    void start() {
        StringBuilder why = new StringBuilder();
        profiler = NativeProfiler.start(dir, why);
        unavailable = why.toString();
    }

    /** @return why the profiler does not run, "" when it does */
    String unavailable() {
        return unavailable;
    }

    /** Marks an observation. */
    void mark(long iteration) {
        if (profiler != null) {
            profiler.mark(iteration);
        }
    }

    /**
     * Stops the profiler if it runs; a second call does nothing.
     *
     * @throws IllegalStateException when the profiler fails to stop
     */
    void stop() {
        if (profiler != null) {
            profiler.stop();
        }
    }

    /**
     * @return what the stopped profile shows for a probe, or null when the profiler did not run
     * @throws IOException when its recording cannot be read
     */
    NativeProfiler.Findings findings(String probe, NativeProfiler.Scope scope, double probeSlope, UserCode user,
                                     int top) throws IOException {
        if (profiler == null) {
            return null;
        }
        stop();
        return profiler.findings(probe, scope, profiler.lastMark(), probeSlope, user, top);
    }
}
