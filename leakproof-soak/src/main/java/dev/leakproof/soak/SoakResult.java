package dev.leakproof.soak;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a soak found. {@link SoakReports} writes it as text, JSON and HTML.
 *
 * @param name            what was soaked
 * @param verdict         overall verdict: LEAK if a deciding probe leaks, INCONCLUSIVE if one stayed undecided,
 *                        else NO_LEAK
 * @param iterations      measured iterations run (all passes)
 * @param elapsed         wall time of the measured run, sampling included
 * @param options         the options used
 * @param probes          one result per probe, in probe order
 * @param culprits        culprits, ranked within each probe by their share of its growth
 * @param nativeCulprits  what async-profiler found, or why it did not run
 * @param advice          what stayed undecided and what to change, when the verdict is INCONCLUSIVE (empty
 *                        otherwise)
 * @param passes          how the run went: one entry per pass (first pass, then each extension)
 */
public record SoakResult(String name, Verdict verdict, long iterations, Duration elapsed, SoakOptions options,
                         List<ProbeResult> probes, List<SoakCulprit> culprits, NativeCulprits nativeCulprits,
                         String advice, List<Pass> passes) {

    /**
     * @param name a probe name
     * @return its result
     */
    public Optional<ProbeResult> probe(String name) {
        return probes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * @param probe a probe name
     * @return the culprits that explain that probe's growth, largest share first
     */
    public List<SoakCulprit> culpritsOf(String probe) {
        return culprits.stream().filter(c -> c.probe().equals(probe)).toList();
    }

    /**
     * What a probe's series shows, beyond the verdict: the reason behind it, in the words of the decision
     * rules of {@code docs/soak-method.md}.
     */
    public enum Finding {
        /** Sustained growth above every floor. */
        GROWS,
        /** Growth in repeated steps that are not given back (pool chunks, arena blocks). */
        GROWS_IN_STEPS,
        /** Real growth (significant, above the instrument's floor) but below the user's floor. */
        GROWS_BELOW_FLOOR,
        /** Growth whose rate falls pass after pass: a cache or pool filling up; may plateau. */
        SLOWING,
        /** One step (or a few early ones) followed by a flat tail: initialisation, not a leak. */
        STEP_THEN_FLAT,
        /** No growth the instrument can tell from its own noise. */
        FLAT,
        /** Too little evidence either way (growth too small or too irregular for the run's length). */
        UNDECIDED,
        /** The probe could not be read. */
        UNAVAILABLE
    }

    /**
     * One probe's samples, fit and verdict.
     *
     * @param name        probe name
     * @param unit        what the values count
     * @param description what is measured
     * @param available   whether the probe worked
     * @param reason      why not, when unavailable
     * @param deciding    whether it decides the overall verdict
     * @param iterations  iteration of each sample (all passes)
     * @param values      value of each sample, as read
     * @param judgedFrom  index of the first sample judged
     * @param slope       slope of the judged samples with its interval (null when unavailable)
     * @param threshold   the floor the slope was judged against, in units per iteration: the larger of the
     *                    instrument's resolution and the user's floor (0 for counts: any sustained rise counts)
     * @param instrumentFloor what the sampler itself can resolve on this probe, per iteration, measured in this run
     * @param verdict     the probe's verdict (INCONCLUSIVE when unavailable)
     * @param finding     what the series shows
     * @param note        one sentence on the finding, e.g. "grows 3.1 B/iteration, below your floor of 64 B"
     * @param culpritNote what the culprit search says about this probe beyond its culprits, e.g. why growth of
     *                    native memory is invisible to the profiler ("" when nothing)
     */
    public record ProbeResult(String name, Probe.Unit unit, String description, boolean available, String reason,
                              boolean deciding, long[] iterations, double[] values, int judgedFrom, Slope slope,
                              double threshold, double instrumentFloor, Verdict verdict, Finding finding,
                              String note, String culpritNote) {
    }

    /**
     * A slope and its error, as JMH reports a score with its error.
     *
     * @param perIteration units per iteration (Theil–Sen)
     * @param low          lower bound of the interval
     * @param high         upper bound
     * @param confidence   the interval's confidence
     * @param intercept    fitted value at iteration 0
     * @param pValue       Mann–Kendall p-value for "no trend"
     */
    public record Slope(double perIteration, double low, double high, double confidence, double intercept,
                        double pValue) {
    }

    /**
     * Something that grows with the iterations, with the evidence that names it.
     *
     * @param probe             the probe whose growth it explains ({@code heap}, {@code threads}, {@code fds},
     *                          {@code native-libs}, {@code direct}, {@code tracked}, ...)
     * @param source            how it was found: {@code tracked} (leakproof-core sites growing), {@code gc}
     *                          (owners collected unreleased), {@code native} (async-profiler), {@code histogram}
     *                          (class histograms), {@code classes} (class-loader statistics), {@code threads}, {@code fds}, {@code direct}
     * @param kind              what grows: a resource kind, a class name, a thread-name pattern, a descriptor
     *                          kind, {@code malloc}
     * @param perIteration      objects (threads, descriptors, allocations) per iteration
     * @param bytesPerIteration bytes per iteration (0 where bytes do not apply)
     * @param share             its part of the probe's growth, 0 to 1 (NaN when not comparable)
     * @param liveAtEnd         how many were live (or leaked) at the end
     * @param bytesAtEnd        their bytes
     * @param userFrame         the first frame of the user's own code in {@code stack} ("" when none)
     * @param stack             allocation (or creation) stack, innermost first; may be empty
     * @param path              who holds it: a reference path from a GC root, root first; may be empty
     * @param note              anything else a reader needs, e.g. why a stack is missing ("" when nothing)
     */
    public record SoakCulprit(String probe, String source, String kind, double perIteration, double bytesPerIteration,
                              double share, long liveAtEnd, long bytesAtEnd, String userFrame, List<String> stack,
                              List<String> path, String note) {
        /** Copies the lists. */
        public SoakCulprit {
            stack = List.copyOf(stack);
            path = List.copyOf(path);
        }

        /** @return the user's frame if known, else the innermost frame, else {@code <unknown>} */
        public String site() {
            return !userFrame.isEmpty() ? userFrame : stack.isEmpty() ? "<unknown>" : stack.getFirst();
        }
    }

    /**
     * The native allocation profile.
     *
     * @param status  {@code off}, {@code ok} or {@code unavailable}
     * @param message what happened, in a sentence
     * @param jfrFile the profiler's recording, when kept
     */
    public record NativeCulprits(String status, String message, String jfrFile) {
    }

    /**
     * One pass of the run.
     *
     * @param iterations iterations the run had reached at the end of the pass
     * @param samples    samples taken up to the end of the pass
     * @param undecided  probes still undecided after the pass, each with why ("" entries never appear)
     */
    public record Pass(long iterations, int samples, List<String> undecided) {
        /** Copies the list. */
        public Pass {
            undecided = List.copyOf(undecided);
        }
    }
}
