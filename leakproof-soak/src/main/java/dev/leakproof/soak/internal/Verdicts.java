package dev.leakproof.soak.internal;

import dev.leakproof.soak.SoakResult.Finding;
import dev.leakproof.soak.Verdict;
import java.util.Arrays;
import java.util.Locale;

/**
 * The decision rules: from one probe's series to a verdict, a finding and a sentence. Pure functions of the
 * samples, so every rule is unit-tested on synthetic series.
 *
 * <p>Design note. The statistics underneath are {@link Stats}' Theil–Sen slope, Sen's interval and the
 * Mann–Kendall test, fitted on the judged window (the later part of the run). On top of them, one rule set per
 * kind of probe (reasoning in {@code docs/soak-method.md}):
 * <ul>
 * <li><b>Counts</b> (threads, descriptors, tracked objects): there is no small leak of threads. A significant
 *     trend with a net rise of at least {@value #MIN_COUNT_RISE} in the judged window that is not given back,
 *     and that still rises in the window's second half, is a leak whatever its rate. A smaller or unsustained
 *     rise is undecided (the run extends); no rise is no leak.</li>
 * <li><b>Bytes</b>: the floor comes from the instrument. The noise is the larger of what back-to-back samples
 *     with no work in between differ by (calibration) and the scatter of the judged samples around their fit;
 *     growth over the judged window smaller than {@value #RESOLUTION_SIGMAS} noise deviations cannot be told from
 *     it, nor growth smaller than twice what sampling itself leaves behind per sample. Above that floor with a
 *     significant trend, sustained into the window's second half and not slowing down, is a leak; under the
 *     user's floor it is reported as growth below it, never as flat.</li>
 * <li><b>Steps</b>: on the floor of the whole run (the suffix minimum: memory never given back later), rises
 *     taller than the step noise are steps. At least {@value #MIN_STEPS} steps, the last in the later half and
 *     the tail after it no longer than twice the longest gap between them, grow in steps: a leak, unless the
 *     next step is overdue (the tail already longer than the gap the steps so far predict, by more than a sample):
 *     then the staircase may have been a fill that ended, and the run extends. One or two steps followed by a flat
 *     tail of at least half the run are initialisation.</li>
 * <li><b>Slowing</b>: rates over the four quarters of the run that fall quarter after quarter (each below
 *     {@value #SLOWING_RATIO} of the one before) are a fill, not a leak: undecided, with the plateau the
 *     geometric series of the rates points at.</li>
 * </ul>
 */
public final class Verdicts {
    /** Net rise of a count, in the judged window, that makes a sustained rise a leak. */
    static final int MIN_COUNT_RISE = 3;
    /** Growth over the judged window smaller than this many noise deviations is not resolved. */
    static final double RESOLUTION_SIGMAS = 4;
    /**
     * The least rise over the judged window the heap (and the other byte probes but the native ones) resolves,
     * whatever its noise: what the JVM's own bookkeeping adds with no work at all (class metadata and reflection
     * caches, lambda forms spun by the JIT). Measured on an empty operation, 50,000 iterations: heap +13 KB over
     * the run, in steps of a few hundred bytes (docs/soak-method.md). Over a judged window longer than
     * {@value #REFERENCE_SPAN} iterations it stays at its rate there, 0.66 B/iteration: that background keeps
     * creeping as long as the JVM runs, so a longer run must not make the tool call it a leak.
     */
    public static final double HEAP_BACKGROUND_RISE = 16 * 1024;
    /**
     * The same for native memory outside the JVM (native-libs, native-malloc): glibc's own bookkeeping of the
     * JVM's threads and arenas, which NMT does not count. Measured on clean real-library cases over their judged
     * windows: a bounded Caffeine cache +60 KB, a Netty event-loop group started and stopped 0.73 B/iteration, a
     * heavy-garbage loop 1.3 B/iteration; 48 KiB per {@value #REFERENCE_SPAN} iterations (about 2 B/iteration)
     * covers them, with room to spare under the 4 B/iteration a native leak must be found at.
     */
    public static final double NATIVE_BACKGROUND_RISE = 48 * 1024;
    /** Steps are taller than twice the heap's background: pool chunks and growing tables are far taller. */
    static final double MIN_STEP = 2 * HEAP_BACKGROUND_RISE;
    /** The judged window of the default first pass, over which {@link #HEAP_BACKGROUND_RISE} was measured. */
    public static final double REFERENCE_SPAN = 25_000;
    /** Steps needed for "grows in steps". */
    static final int MIN_STEPS = 3;
    /** How much longer than the one before a gap between steps may be and still belong to the same staircase. */
    static final double GAP_JUMP = 8;
    /** A step is taller than this many step-noise deviations. */
    static final double STEP_SIGMAS = 6;
    /** Each quarter's rate below this fraction of the one before: slowing down. */
    static final double SLOWING_RATIO = 0.75;

    private Verdicts() {
    }

    /**
     * A probe's measured series and what the instrument told about itself.
     *
     * @param count           whether the values count things (threads, descriptors) rather than bytes
     * @param x               iteration of each sample, increasing
     * @param y               value of each sample
     * @param analysisFraction the later part of the run (by iterations) that is judged
     * @param confidence      interval confidence
     * @param calibrationNoise standard deviation of the difference between back-to-back samples with no work in
     *                        between, divided by √2 (0 when not measured)
     * @param calibrationBias what one sample leaves behind in the probe, in units per sample (0 when not measured)
     * @param userFloor       the user's floor in units per iteration (0: none)
     * @param errorBound      the probe's own systematic error bound at each sample (see
     *                        {@code Probe.errorBound()}), or null when the probe is exact
     * @param backgroundRise  what the JVM's own background adds to this probe over {@link #REFERENCE_SPAN}
     *                        iterations with no leak ({@link #HEAP_BACKGROUND_RISE}, {@link #NATIVE_BACKGROUND_RISE})
     */
    public record Series(boolean count, double[] x, double[] y, double analysisFraction, double confidence,
                         double calibrationNoise, double calibrationBias, double userFloor, double[] errorBound,
                         double backgroundRise) {
        /** A series with the heap's background. */
        public Series(boolean count, double[] x, double[] y, double analysisFraction, double confidence,
                      double calibrationNoise, double calibrationBias, double userFloor, double[] errorBound) {
            this(count, x, y, analysisFraction, confidence, calibrationNoise, calibrationBias, userFloor, errorBound,
                    HEAP_BACKGROUND_RISE);
        }

        /** Checks the arrays. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
            }
            if (x.length < 4) {
                throw new IllegalArgumentException("a verdict needs at least 4 samples, got " + x.length);
            }
        }
    }

    /**
     * A probe's judgement.
     *
     * @param verdict   LEAK, NO_LEAK, or INCONCLUSIVE (undecided: the run may extend)
     * @param finding   what the series shows
     * @param note      one sentence for the reader
     * @param fit       the Theil–Sen fit of the judged window
     * @param judgedFrom index of the first judged sample
     * @param floor     the floor the slope was judged against (units per iteration; 0 for counts)
     * @param instrumentFloor what the instrument resolves in this run (units per iteration; 0 for counts)
     * @param slope     the growth rate reported: the fit's slope, or the step rate for growth in steps
     */
    public record Judgement(Verdict verdict, Finding finding, String note, Stats.Fit fit, int judgedFrom,
                            double floor, double instrumentFloor, double slope) {
    }

    /**
     * @param s a series
     * @return its judgement
     */
    public static Judgement judge(Series s) {
        int from = judgedFrom(s.x(), s.analysisFraction());
        double[] wx = Arrays.copyOfRange(s.x(), from, s.x().length);
        double[] wy = Arrays.copyOfRange(s.y(), from, s.y().length);
        Stats.Fit fit = Stats.theilSen(wx, wy, s.confidence());
        return s.count() ? judgeCount(s, from, wx, wy, fit) : judgeBytes(s, from, wx, wy, fit);
    }

    /**
     * @param x                iterations of the samples
     * @param analysisFraction the later part judged
     * @return index of the first sample of the judged window: the later {@code analysisFraction} of the run by
     *         iterations, and at least 4 samples
     */
    public static int judgedFrom(double[] x, double analysisFraction) {
        int n = x.length;
        double start = x[0] + (x[n - 1] - x[0]) * (1 - analysisFraction);
        int from = 0;
        while (from < n && x[from] < start) {
            from++;
        }
        return Math.max(0, Math.min(from, n - 4));
    }

    // ------------------------------------------------------------------ counts

    private static Judgement judgeCount(Series s, int from, double[] wx, double[] wy, Stats.Fit fit) {
        double alpha = 1 - s.confidence();
        double rise = heldRise(wy, 0, wy.length);
        int half = wy.length / 2;
        double lateRise = heldRise(wy, half, wy.length);
        double span = wx[wx.length - 1] - wx[0];
        if (fit.pValue() < alpha && rise >= MIN_COUNT_RISE && lateRise >= 1) {
            // the held rise (decided on) leaves out the window's edges; the sentence says what the samples rose by
            double net = Math.max(rise, wy[wy.length - 1] - wy[0]);
            return new Judgement(Verdict.LEAK, Finding.GROWS, String.format(Locale.ROOT,
                    "rose by %s over the last %,.0f iterations and kept rising: one every %,.0f iterations",
                    count(net), span, span / net), fit, from, 0, 0, Math.max(fit.slope(), rise / span));
        }
        Steps steps = steps(s.x(), s.y(), 0.5);
        if (rise >= 1) {
            return new Judgement(Verdict.INCONCLUSIVE, Finding.UNDECIDED, String.format(Locale.ROOT,
                    "rose by %s over the last %,.0f iterations, %s", count(rise), span,
                    rise < MIN_COUNT_RISE ? "too few to call a leak yet" : lateRise < 1
                            ? "but not in the latest part: a pool reaching its size, or a slow leak"
                            : "without a significant trend"), fit, from, 0, 0, fit.slope());
        }
        if (steps.count() > 0) {
            return new Judgement(Verdict.NO_LEAK, Finding.STEP_THEN_FLAT, String.format(Locale.ROOT,
                    "rose by %s early, then flat for the last %,.0f iterations", count(steps.rise()),
                    steps.tail()), fit, from, 0, 0, fit.slope());
        }
        return new Judgement(Verdict.NO_LEAK, Finding.FLAT, "no sustained rise", fit, from, 0, 0, fit.slope());
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /**
     * A rise that is not given back: the least of the last two values minus the most of the first two.
     * Noise in a count (a pool thread that comes and goes) cancels out; a leak does not.
     */
    public static double heldRise(double[] y, int from, int to) {
        if (to - from < 2) {
            return 0;
        }
        int k = to - from >= 4 ? 2 : 1;
        double end = Double.MAX_VALUE;
        double start = -Double.MAX_VALUE;
        for (int i = 0; i < k; i++) {
            end = Math.min(end, y[to - 1 - i]);
            start = Math.max(start, y[from + i]);
        }
        return end - start;
    }

    // ------------------------------------------------------------------ bytes

    private static Judgement judgeBytes(Series s, int from, double[] wx, double[] wy, Stats.Fit fit) {
        double alpha = 1 - s.confidence();
        int n = wx.length;
        double span = wx[n - 1] - wx[0];
        double noise = Math.max(s.calibrationNoise(), scatter(wx, wy, fit));
        double perSample = span / Math.max(1, n - 1);
        double drift = s.errorBound() == null ? 0
                : Math.abs(s.errorBound()[s.errorBound().length - 1] - s.errorBound()[from]) / span;
        double instrument = Math.max(Math.max(RESOLUTION_SIGMAS * noise / span, drift),
                Math.max(2 * Math.abs(s.calibrationBias()) / perSample, s.backgroundRise() / Math.min(span, REFERENCE_SPAN)));
        double floor = Math.max(instrument, s.userFloor());
        double stepNoise = Math.max(s.calibrationNoise(), diffNoise(s.y()));
        // a step is taller than the noise and than what the JVM's own background does in one go (steps of 5 to 22
        // KiB on heap and native-libs of clean runs); pool chunks and growing tables are far taller
        Steps steps = steps(s.x(), s.y(), Math.max(Math.max(STEP_SIGMAS * Math.max(stepNoise, giveBack(s.y())),
                4 * Math.abs(s.calibrationBias())), MIN_STEP));
        Slowing slowing = slowing(s.x(), s.y());
        boolean real = fit.low() > instrument && fit.pValue() < alpha;
        if (real) {
            boolean sustained = lateSlope(wx, wy, s.confidence()) > instrument || steps.leaking();
            if (slowing.slowing()) {
                return new Judgement(Verdict.INCONCLUSIVE, Finding.SLOWING, String.format(Locale.ROOT,
                        "slowing down: %s/iteration in the last quarter after %s in the second; may plateau near %s",
                        bytes(slowing.last()), bytes(slowing.second()), size(s.y()[s.y().length - 1]
                                + slowing.remaining())), fit, from, floor, instrument, fit.slope());
            }
            if (!sustained) {
                return new Judgement(Verdict.INCONCLUSIVE, Finding.UNDECIDED, String.format(Locale.ROOT,
                        "grew %s/iteration in the first half of the judged window but not in the second: a step, "
                                + "or a leak too irregular to call yet", bytes(fit.slope())), fit, from, floor,
                        instrument, fit.slope());
            }
            return aboveInstrument(s, fit, from, floor, instrument, fit.slope(), fit.low(), fit.high(),
                    Finding.GROWS, "grows");
        }
        if (steps.leaking()) {
            double rate = steps.rate();
            // the scatter around a straight line is large for a staircase by nature: steps are judged against the
            // noise between samples instead
            double stepFloor = Math.max(Math.max(RESOLUTION_SIGMAS * stepNoise / span, drift),
                    Math.max(2 * Math.abs(s.calibrationBias()) / perSample, s.backgroundRise() / Math.min(span, REFERENCE_SPAN)));
            if (rate > stepFloor) {
                return aboveInstrument(s, fit, from, Math.max(stepFloor, s.userFloor()), stepFloor, rate, rate, rate,
                        Finding.GROWS_IN_STEPS,
                        String.format(Locale.ROOT, "grows in %d steps of about %s (every %,.0f iterations or so)",
                                steps.count(), size(steps.rise() / steps.count()), steps.meanGap()));
            }
        }
        // a significant, sustained slope that the samples themselves resolve (their scatter, the sampling residue and
        // the background all below it) but that the calibration's noise hides: the calibration saw a transient (a JIT
        // burst, a GC giving back arenas), or the samples are smoother than the instrument. Never flat: a longer run
        // resolves it (the noise floor falls with the window's length).
        double byTheSamples = Math.max(Math.max(RESOLUTION_SIGMAS * scatter(wx, wy, fit) / span, drift),
                Math.max(2 * Math.abs(s.calibrationBias()) / perSample,
                        s.backgroundRise() / Math.min(span, REFERENCE_SPAN)));
        if (!real && fit.pValue() < alpha && fit.low() > byTheSamples && fit.high() > s.userFloor()
                && lateSlope(wx, wy, s.confidence()) > byTheSamples) {
            return new Judgement(Verdict.INCONCLUSIVE, Finding.UNDECIDED, String.format(Locale.ROOT,
                    "grows %s/iteration [%s, %s], under the %s/iteration the instrument's calibration noise hides: "
                            + "too short a window to call", bytes(fit.slope()), bytes(fit.low()), bytes(fit.high()),
                    bytes(instrument)), fit, from, floor, instrument, fit.slope());
        }
        // a step inside the window taller than the floor tolerates over it: the window is not flat yet
        boolean stepInWindow = steps.count() > 0 && steps.lastX() > s.x()[from] && steps.lastHeight() > floor * span;
        if (fit.high() <= floor && !stepInWindow) {
            if (steps.count() > 0 && steps.tail() >= 0.5 * (s.x()[s.x().length - 1] - s.x()[0])) {
                return new Judgement(Verdict.NO_LEAK, Finding.STEP_THEN_FLAT, String.format(Locale.ROOT,
                        "rose by %s in %s, then flat for the last %,.0f iterations", size(steps.rise()),
                        steps.count() == 1 ? "one step" : steps.count() + " steps", steps.tail()), fit, from, floor,
                        instrument, fit.slope());
            }
            return new Judgement(Verdict.NO_LEAK, Finding.FLAT, String.format(Locale.ROOT,
                    "no growth above %s/iteration%s", bytes(floor), floor > instrument ? " (your floor)"
                            : " (what this run resolves)"), fit, from, floor, instrument, fit.slope());
        }
        String why;
        if (steps.repeated() && steps.overdue()) {
            why = String.format(Locale.ROOT, "grew in %d steps of about %s, then none for the last %,.0f iterations, "
                    + "longer than the gaps between them: a fill that may have ended, or a slower staircase",
                    steps.count(), size(steps.rise() / steps.count()), steps.tail());
        } else if (stepInWindow && fit.high() <= floor) {
            why = String.format(Locale.ROOT, "flat around a step of about %s inside the judged window: too soon to "
                    + "tell initialisation from growth", size(steps.rise() / steps.count()));
        } else if (steps.count() > 0 && steps.count() < MIN_STEPS) {
            why = String.format(Locale.ROOT, "%d step%s of about %s so far: too few to tell a leak in steps from "
                    + "initialisation", steps.count(), steps.count() == 1 ? "" : "s",
                    size(steps.rise() / steps.count()));
        } else if (fit.low() > instrument) {
            why = String.format(Locale.ROOT, "grows %s/iteration [%s, %s] but the trend is not significant (p=%.2g)",
                    bytes(fit.slope()), bytes(fit.low()), bytes(fit.high()), fit.pValue());
        } else {
            why = String.format(Locale.ROOT, "slope %s/iteration, interval [%s, %s] reaches above the floor of "
                    + "%s/iteration", bytes(fit.slope()), bytes(fit.low()), bytes(fit.high()), bytes(floor));
        }
        return new Judgement(Verdict.INCONCLUSIVE, Finding.UNDECIDED, why, fit, from, floor, instrument, fit.slope());
    }

    private static Judgement aboveInstrument(Series s, Stats.Fit fit, int from, double floor, double instrument,
                                             double slope, double low, double high, Finding finding, String what) {
        if (s.userFloor() <= 0 || low > s.userFloor()) {
            String note = finding == Finding.GROWS ? String.format(Locale.ROOT, "grows %s/iteration [%s, %s]",
                    bytes(slope), bytes(low), bytes(high)) : what;
            return new Judgement(Verdict.LEAK, finding, note, fit, from, floor, instrument, slope);
        }
        if (high < s.userFloor()) {
            return new Judgement(Verdict.NO_LEAK, Finding.GROWS_BELOW_FLOOR, String.format(Locale.ROOT,
                    "grows %s/iteration, below your floor of %s", bytes(slope), bytes(s.userFloor())), fit, from,
                    floor, instrument, slope);
        }
        return new Judgement(Verdict.INCONCLUSIVE, Finding.UNDECIDED, String.format(Locale.ROOT,
                "grows %s/iteration [%s, %s]: the interval straddles your floor of %s", bytes(slope), bytes(low),
                bytes(high), bytes(s.userFloor())), fit, from, floor, instrument, slope);
    }

    /** The Theil–Sen slope of the later half of the judged window. */
    private static double lateSlope(double[] wx, double[] wy, double confidence) {
        int n = wx.length;
        int half = n / 2;
        return Stats.theilSen(Arrays.copyOfRange(wx, half, n), Arrays.copyOfRange(wy, half, n), confidence).slope();
    }

    /** Robust scatter of the judged samples around their fit: 1.4826 × the median absolute residual. */
    static double scatter(double[] x, double[] y, Stats.Fit fit) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = y[i] - (fit.intercept() + fit.slope() * x[i]);
        }
        return 1.4826 * mad(r);
    }

    /** Noise from successive differences, which a step or a slow drift barely moves. */
    static double diffNoise(double[] y) {
        if (y.length < 3) {
            return 0;
        }
        double[] d = new double[y.length - 1];
        for (int i = 1; i < y.length; i++) {
            d[i - 1] = y[i] - y[i - 1];
        }
        return 1.4826 * mad(d) / Math.sqrt(2);
    }

    /** @param v values @return 1.4826 × their median absolute deviation: a standard deviation robust to outliers */
    public static double robustSpread(double[] v) {
        return 1.4826 * mad(v);
    }

    /** Median absolute deviation from the median. */
    static double mad(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double med = Stats.median(s);
        double[] dev = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            dev[i] = Math.abs(s[i] - med);
        }
        Arrays.sort(dev);
        return Stats.median(dev);
    }

    // ------------------------------------------------------------------ steps

    /**
     * How far readings typically stand above the floor under them (the median of value minus suffix minimum):
     * about the noise for a leak or for steps, which give nothing back, but half the amplitude for a sawtooth,
     * whose last ramp must not pass for a staircase.
     */
    static double giveBack(double[] y) {
        int n = y.length;
        double[] g = new double[n];
        double floor = Double.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            floor = Math.min(floor, y[i]);
            g[i] = y[i] - floor;
        }
        Arrays.sort(g);
        return Stats.median(g);
    }

    /**
     * Steps in the floor of a run.
     *
     * @param count    steps found
     * @param rise     their total height
     * @param tail     iterations from the last step to the end (the whole run when none)
     * @param meanGap  mean iterations between steps (NaN with fewer than 2)
     * @param repeated whether they look like growth that keeps happening
     * @param rate     floor rise per iteration from the sample before the first step to the end
     * @param lastX    iteration of the last step (NaN with none)
     * @param lastHeight height of the last step
     * @param overdue  whether the next step is late: the tail is longer than the gap the steps so far predict, by
     *                 more than a sample's spacing (a staircase that keeps going is never late by that much)
     */
    record Steps(int count, double rise, double tail, double meanGap, boolean repeated, double rate, double lastX,
                 double lastHeight, boolean overdue) {
        /** @return whether they are growth that keeps happening and that has not paused for longer than it should */
        boolean leaking() {
            return repeated && !overdue;
        }
    }

    /**
     * Finds steps taller than {@code threshold} in the suffix minimum of {@code y}. A rise at the very last
     * sample is not counted: one high reading cannot be told from a step until the next sample confirms it.
     */
    static Steps steps(double[] x, double[] y, double threshold) {
        int n = y.length;
        double[] floor = new double[n];
        floor[n - 1] = y[n - 1];
        for (int i = n - 2; i >= 0; i--) {
            floor[i] = Math.min(y[i], floor[i + 1]);
        }
        int count = 0;
        double rise = 0;
        double previousStep = 0;
        boolean alike = true;
        double firstX = Double.NaN;
        double lastX = Double.NaN;
        double maxGap = 0;
        double lastGap = 0;
        double previousGap = 0;
        int firstIndex = -1;
        double[] at = new double[n];
        for (int i = 1; i < n - 1; i++) {
            double d = floor[i] - floor[i - 1];
            if (d > threshold) {
                at[count] = x[i];
                if (count > 0) {
                    maxGap = Math.max(maxGap, x[i] - lastX);
                    previousGap = lastGap;
                    lastGap = x[i] - lastX;
                    if (count > 1) {
                        alike &= d <= 8 * previousStep && previousStep <= 8 * d;
                    }
                } else {
                    firstX = x[i];
                    firstIndex = i - 1;
                }
                previousStep = d;
                count++;
                rise += d;
                lastX = x[i];
            }
        }
        double end = x[n - 1];
        double tail = count == 0 ? end - x[0] : end - lastX;
        double meanGap = count >= 2 ? (lastX - firstX) / (count - 1) : Double.NaN;
        // after the first (which may be the end of warming up) each step is like the one before, within 8× (G1
        // rounds a large array to whole regions):
        // chunks of one pool are alike, and a table that keeps doubling grows each step by a constant factor
        // the next step is due after a gap like the longest so far, or, when gaps grow (a table growing by a
        // factor), after the last gap times that factor
        double nextGap = Math.max(maxGap, previousGap > 0 && lastGap > previousGap
                ? lastGap * lastGap / previousGap : 0);
        boolean repeated = count >= MIN_STEPS && lastX >= x[0] + (end - x[0]) / 2 && tail <= 2 * nextGap && alike
                && stepsSinceGapJump(at, count) >= MIN_STEPS;
        // a fill that climbs in large increments then stops looks like steps with a long tail: the next step would
        // have come within a gap (and a sample's spacing, the resolution of both), so its absence is a reason to
        // look longer before calling a leak
        boolean overdue = count >= MIN_STEPS && tail > nextGap + (end - x[0]) / Math.max(1, n - 1);
        // from the first step's top to the end: the rate of the steps that followed it
        int top = count >= 2 ? firstIndex + 1 : firstIndex;
        double rate = count == 0 || x[n - 2] == x[Math.max(0, top)] ? 0
                : (floor[n - 2] - floor[Math.max(0, top)]) / (x[n - 2] - x[Math.max(0, top)]);
        return new Steps(count, rise, tail, meanGap, repeated, rate, count == 0 ? Double.NaN : lastX, previousStep,
                overdue);
    }

    /**
     * The steps since the last gap more than {@value #GAP_JUMP} times the one before it: the steps before such a
     * jump are a start (a cache or pool filling in quick increments), and what follows must repeat by itself to be a
     * staircase. A cache whose level follows the loop's speed (Caffeine's {@code expireAfterWrite}) rose in three quick
     * steps while it filled, then once, 230,000 iterations later, when the loop sped up: four steps, but one since the
     * fill (main corpus, seventh session). A table growing by half or doubling widens its gaps by 1.5 or 2.
     *
     * @param at    the steps' iterations, {@code count} of them, ascending
     * @return how many steps follow the last such jump (all of them when there is none)
     */
    static int stepsSinceGapJump(double[] at, int count) {
        int start = 0;
        for (int i = 2; i < count; i++) {
            double gap = at[i] - at[i - 1];
            double before = at[i - 1] - at[i - 2];
            if (before > 0 && gap > GAP_JUMP * before) {
                start = i;
            }
        }
        return count - start;
    }

    // ------------------------------------------------------------------ slowing

    /**
     * @param slowing   whether the rates fall quarter after quarter
     * @param second    rate in the second quarter
     * @param last      rate in the last quarter
     * @param remaining growth still to come if the rates keep falling geometrically
     */
    record Slowing(boolean slowing, double second, double last, double remaining) {
    }

    static Slowing slowing(double[] x, double[] y) {
        int n = x.length;
        double x0 = x[0];
        double q = (x[n - 1] - x0) / 4;
        double[] rate = new double[4];
        for (int k = 0; k < 4; k++) {
            double lo = x0 + k * q;
            double hi = x0 + (k + 1) * q;
            int a = 0;
            while (a < n && x[a] < lo) {
                a++;
            }
            int b = a;
            while (b < n && x[b] <= hi) {
                b++;
            }
            if (b - a < 3) {
                return new Slowing(false, 0, 0, 0);
            }
            rate[k] = Stats.theilSen(Arrays.copyOfRange(x, a, b), Arrays.copyOfRange(y, a, b), 0.95).slope();
        }
        boolean slowing = rate[1] > 0 && rate[2] < SLOWING_RATIO * rate[1] && rate[3] < SLOWING_RATIO * rate[2];
        double ratio = rate[2] > 0 ? Math.max(0, rate[3] / rate[2]) : 0;
        double remaining = ratio < 1 && rate[3] > 0 ? rate[3] * q * ratio / (1 - ratio) : 0;
        return new Slowing(slowing, rate[1], rate[3], remaining);
    }

    // ------------------------------------------------------------------ words

    static String bytes(double v) {
        double a = Math.abs(v);
        return a >= 1000 ? String.format(Locale.ROOT, "%,.0f B", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f B", v)
                : String.format(Locale.ROOT, "%.2g B", v);
    }

    static String size(double v) {
        double a = Math.abs(v);
        return a >= 1 << 30 ? String.format(Locale.ROOT, "%.2f GiB", v / (1 << 30))
                : a >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20))
                : a >= 1 << 10 ? String.format(Locale.ROOT, "%.1f KiB", v / (1 << 10))
                : String.format(Locale.ROOT, "%.0f B", v);
    }
}
