package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Native culprits: the allocations of native libraries and FFM code that async-profiler's {@code nativemem} mode saw
 * over the pass ({@link NativeProfiler}, {@link NativeProfiler.Scope#LIBRARIES}), marked at each observation, so
 * that a stack's live allocations are a trend over the same points as the other censuses. When the probe grows and
 * the profile explains little of it, the note says why (libc's malloc called through an FFM downcall is invisible),
 * and the sites of the downcalls that returned native pointers meanwhile are named as an estimate.
 */
final class NativeCensus implements Census {
    /** Stacks named per pass. */
    static final int TOP = 10;

    private final String probe;
    private final NativeProfile profile;
    private String note = "";

    /**
     * @param probe   the native probe explained ({@code native-libs} or {@code native-malloc})
     * @param profile the pass's profile
     */
    NativeCensus(String probe, NativeProfile profile) {
        this.probe = probe;
        this.profile = profile;
    }

    @Override
    public String probe() {
        return probe;
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of();
    }

    @Override
    public void baseline() {
        note = profile.unavailable();
    }

    @Override
    public void observe(long iteration) {
        // the collector marks the shared profile once per observation
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        try {
            NativeProfiler.Findings f = profile.findings(probe, NativeProfiler.Scope.LIBRARIES, probeSlope, user, TOP);
            if (f == null) {
                return List.of();
            }
            note = f.message();
            return f.culprits();
        } catch (IOException | RuntimeException e) {
            note = "reading async-profiler's recording failed: " + e;
            return List.of();
        }
    }

    @Override
    public String note() {
        return note;
    }
}
