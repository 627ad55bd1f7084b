package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.internal.Stats;

/**
 * How one thing (a class's bytes, a thread pattern's count, a native stack's live bytes) grows over a culprit
 * pass's observations.
 *
 * <p>It grows when its Theil–Sen slope and the lower bound of Sen's 95% interval are above zero and the
 * Mann–Kendall test rejects "no trend" at {@link #MAX_P} ({@code docs/soak-method.md}, with {@link Stats}). With
 * the four to six observations of a culprit pass that means rising at nearly every step: what churns goes up and
 * down, what is created once rises in one step and stays flat, and neither grows.
 *
 * @param perIteration Theil–Sen slope, units per iteration
 * @param low          lower bound of its 95% interval
 * @param pValue       two-sided Mann–Kendall p-value
 * @param first        value at the first observation
 * @param last         value at the last observation
 * @param n            observations
 */
public record Trend(double perIteration, double low, double pValue, double first, double last, int n) {
    /**
     * The largest Mann–Kendall p-value taken as a trend. Four strictly rising observations give 0.089, the
     * smallest p-value four points can give; five give 0.027.
     */
    public static final double MAX_P = 0.10;
    /** Observations needed: three points can never reach {@link #MAX_P}. */
    public static final int MIN_OBSERVATIONS = 4;

    /**
     * @param x iterations of the observations, ascending
     * @param y values
     * @return the trend (no growth with fewer than {@link #MIN_OBSERVATIONS} points or a single x)
     */
    public static Trend of(double[] x, double[] y) {
        int n = y.length;
        if (n == 0) {
            return new Trend(0, 0, 1, 0, 0, 0);
        }
        if (n < MIN_OBSERVATIONS || x[n - 1] == x[0]) {
            return new Trend(0, 0, 1, y[0], y[n - 1], n);
        }
        Stats.Fit fit = Stats.theilSen(x, y, 0.95);
        return new Trend(fit.slope(), fit.low(), fit.pValue(), y[0], y[n - 1], n);
    }

    /** @return whether the value grows with the iterations */
    public boolean grows() {
        return n >= MIN_OBSERVATIONS && perIteration > 0 && low > 0 && pValue <= MAX_P;
    }

    /** @return the last value as a whole number */
    long lastCount() {
        return Math.round(last);
    }
}
