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
 * @param netPerIteration (last − first) / (iterations between them)
 * @param nonDecreasing whether no observation is below the one before
 */
public record Trend(double perIteration, double low, double pValue, double first, double last, int n,
                    double netPerIteration, boolean nonDecreasing) {
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
            return new Trend(0, 0, 1, 0, 0, 0, 0, false);
        }
        // never falling by more than a twentieth of its net rise: a class's total also holds short-lived objects
        // (other byte[]s than the one doubling), which dip a little between a staircase's steps
        double slack = Math.max(0, (y[n - 1] - y[0]) / 20);
        boolean nonDecreasing = true;
        for (int i = 1; i < n; i++) {
            nonDecreasing &= y[i] >= y[i - 1] - slack;
        }
        double net = x[n - 1] == x[0] ? 0 : (y[n - 1] - y[0]) / (x[n - 1] - x[0]);
        if (n < MIN_OBSERVATIONS || x[n - 1] == x[0]) {
            return new Trend(0, 0, 1, y[0], y[n - 1], n, net, nonDecreasing);
        }
        Stats.Fit fit = Stats.theilSen(x, y, 0.95);
        return new Trend(fit.slope(), fit.low(), fit.pValue(), y[0], y[n - 1], n, net, nonDecreasing);
    }

    /** @return whether the value grows with the iterations */
    public boolean grows() {
        return n >= MIN_OBSERVATIONS && perIteration > 0 && low > 0 && pValue <= MAX_P;
    }

    /**
     * Growth in steps: never falling (by more than a twentieth of the net rise), ending higher, at {@code minPerIteration} or more from the first observation
     * to the last. A pool that takes a chunk of megabytes every few thousand iterations, an array that grows by
     * half when full: flat between steps, so it never {@linkplain #grows() grows} at every observation. It is
     * asked only of what must explain a probe's measured growth (a share of it), never of everything counted:
     * among thousands of classes, some rise by chance without falling.
     *
     * @param minPerIteration the least net growth per iteration that counts (positive)
     * @return whether it grows in steps
     */
    public boolean growsInSteps(double minPerIteration) {
        return n >= 2 && nonDecreasing && last > first && netPerIteration >= minPerIteration;
    }

    /** @return the last value as a whole number */
    long lastCount() {
        return Math.round(last);
    }
}
