package dev.leakproof.soak;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a soak found. {@link SoakReports} writes it as text, JSON and HTML.
 *
 * @param name            what was soaked
 * @param verdict         overall verdict: LEAK if a deciding probe leaks, INCONCLUSIVE if one is unsure, else NO_LEAK
 * @param iterations      measured iterations run
 * @param elapsed         wall time of the measured run
 * @param options         the options used
 * @param probes          one result per probe, in probe order
 * @param culprits        culprits, most bytes per iteration first
 * @param nativeCulprits  what async-profiler found, or why it did not run
 * @param advice          what to change when the verdict is INCONCLUSIVE (empty otherwise)
 */
public record SoakResult(String name, Verdict verdict, long iterations, Duration elapsed, SoakOptions options,
                         List<ProbeResult> probes, List<SoakCulprit> culprits, NativeCulprits nativeCulprits,
                         String advice) {

    /**
     * @param name a probe name
     * @return its result
     */
    public Optional<ProbeResult> probe(String name) {
        return probes.stream().filter(p -> p.name().equals(name)).findFirst();
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
     * @param iterations  iteration of each sample
     * @param values      value of each sample
     * @param judgedFrom  index of the first sample judged
     * @param slope       slope of the judged samples with its interval (null when unavailable)
     * @param threshold   smallest slope called a leak, in units per iteration
     * @param verdict     the probe's verdict (INCONCLUSIVE when unavailable)
     */
    public record ProbeResult(String name, Probe.Unit unit, String description, boolean available, String reason,
                              boolean deciding, long[] iterations, double[] values, int judgedFrom, Slope slope,
                              double threshold, Verdict verdict) {
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
     * Resources that grow with the iterations, with who allocated them.
     *
     * @param source          {@code tracked} (live sites growing), {@code gc} (owners collected unreleased) or
     *                        {@code native} (async-profiler)
     * @param kind            resource kind ({@code malloc} for native)
     * @param stack           allocation stack, innermost first
     * @param perIteration    resources per iteration
     * @param bytesPerIteration bytes per iteration
     * @param liveAtEnd       resources still live (or leaked) at the end
     * @param bytesAtEnd      their bytes
     */
    public record SoakCulprit(String source, String kind, List<String> stack, double perIteration,
                              double bytesPerIteration, long liveAtEnd, long bytesAtEnd) {
        /** @return the innermost frame */
        public String site() {
            return stack.isEmpty() ? "<unknown>" : stack.getFirst();
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
}
