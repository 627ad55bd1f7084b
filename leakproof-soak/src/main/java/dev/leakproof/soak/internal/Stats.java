package dev.leakproof.soak.internal;

import java.util.Arrays;

/**
 * Robust trend statistics for soak samples.
 *
 * <p>Design note. A leak is a slope: memory growing linearly with the iterations. Least squares is
 * thrown off by the outliers a garbage-collected heap produces, so the slope is the Theil–Sen estimator
 * (the median of all pairwise slopes; Theil 1950, Sen 1968), whose breakdown point is 29%. Its confidence
 * interval is Sen's distribution-free one: the order statistics of the pairwise slopes at ranks
 * {@code (N ∓ z·σ_S)/2}, with σ_S the standard deviation of Kendall's S (Hollander &amp; Wolfe, Nonparametric
 * Statistical Methods, §9.4). The trend test is Mann–Kendall (Mann 1945; Kendall 1975) with the tie
 * correction, normal approximation and continuity correction. The normal quantile is Acklam's rational
 * approximation (relative error below 1.15e-9); the normal CDF uses the complementary error function of
 * Numerical Recipes §6.2 (erfcc, fractional error below 1.2e-7).
 */
public final class Stats {
    private Stats() {
    }

    /**
     * A Theil–Sen fit with its interval and trend test.
     *
     * @param slope     median pairwise slope (units per x)
     * @param low       lower bound of the interval
     * @param high      upper bound of the interval
     * @param intercept median of {@code y - slope * x}
     * @param pValue    two-sided Mann–Kendall p-value for "no monotonic trend"
     * @param n         points used
     */
    public record Fit(double slope, double low, double high, double intercept, double pValue, int n) {
    }

    /**
     * @param x          strictly useful x values (iterations); points with equal x contribute no slope
     * @param y          values
     * @param confidence interval confidence, e.g. 0.95
     * @return the fit
     * @throws IllegalArgumentException with fewer than 3 points or arrays of different lengths
     */
    public static Fit theilSen(double[] x, double[] y, double confidence) {
        int n = x.length;
        if (n != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + n + " vs " + y.length);
        }
        if (n < 3) {
            throw new IllegalArgumentException("a trend needs at least 3 points, got " + n);
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[j] != x[i]) {
                    slopes[m++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        if (m == 0) {
            throw new IllegalArgumentException("all points have the same x: no slope can be estimated");
        }
        double[] s = Arrays.copyOf(slopes, m);
        Arrays.sort(s);
        double slope = median(s);
        double z = normalQuantile(0.5 + confidence / 2);
        double c = z * Math.sqrt(kendallVariance(y));
        int lowRank = (int) Math.floor((m - c) / 2);          // 1-based rank M1
        int highRank = (int) Math.ceil((m + c) / 2) + 1;      // 1-based rank M2 + 1
        double low = s[clamp(lowRank - 1, m)];
        double high = s[clamp(highRank - 1, m)];
        double[] residual = new double[n];
        for (int i = 0; i < n; i++) {
            residual[i] = y[i] - slope * x[i];
        }
        Arrays.sort(residual);
        return new Fit(slope, Math.min(low, slope), Math.max(high, slope), median(residual), mannKendallP(y), n);
    }

    private static int clamp(int i, int m) {
        return Math.max(0, Math.min(m - 1, i));
    }

    public static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Variance of Kendall's S under no trend, with the correction for tied values. */
    static double kendallVariance(double[] y) {
        int n = y.length;
        double v = n * (n - 1.0) * (2 * n + 5);
        double[] s = y.clone();
        Arrays.sort(s);
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && s[j + 1] == s[i]) {
                j++;
            }
            int t = j - i + 1;
            if (t > 1) {
                v -= t * (t - 1.0) * (2 * t + 5);
            }
            i = j + 1;
        }
        return v / 18;
    }

    /** @return the two-sided p-value of the Mann–Kendall test on {@code y} in sample order */
    public static double mannKendallP(double[] y) {
        int n = y.length;
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += Double.compare(y[j], y[i]) > 0 ? 1 : y[j] == y[i] ? 0 : -1;
            }
        }
        double var = kendallVariance(y);
        if (var <= 0 || s == 0) {
            return 1.0;
        }
        double z = (s > 0 ? s - 1 : s + 1) / Math.sqrt(var);
        return Math.min(1.0, 2 * (1 - normalCdf(Math.abs(z))));
    }

    /** @return P(Z &le; z) for a standard normal Z */
    public static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** @return z with P(Z &le; z) = p (Acklam's algorithm) */
    public static double normalQuantile(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -normalQuantile(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
