package dev.leakproof.soak.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void normalQuantileAndCdfAgreeWithTables() {
        assertEquals(1.959964, Stats.normalQuantile(0.975), 1e-6);
        assertEquals(2.575829, Stats.normalQuantile(0.995), 1e-6);
        assertEquals(-1.644854, Stats.normalQuantile(0.05), 1e-6);
        assertEquals(0.975, Stats.normalCdf(1.959964), 1e-6);
        assertEquals(0.5, Stats.normalCdf(0), 1e-7);
    }

    @Test
    void anExactLineGivesItsSlopeWithAZeroWidthInterval() {
        double[] x = new double[20];
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i * 1000;
            y[i] = 5000 + 64.0 * x[i];
        }
        Stats.Fit f = Stats.theilSen(x, y, 0.95);
        assertEquals(64.0, f.slope(), 1e-9);
        assertEquals(64.0, f.low(), 1e-9);
        assertEquals(64.0, f.high(), 1e-9);
        assertEquals(5000, f.intercept(), 1e-6);
        assertTrue(f.pValue() < 1e-6, "p=" + f.pValue());
    }

    @Test
    void outliersDoNotMoveTheSlopeAndTheIntervalCoversTheTruth() {
        Random r = new Random(42);
        double[] x = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = i * 500;
            y[i] = 2.0 * x[i] + r.nextGaussian() * 200;
        }
        y[7] += 1e6; // a GC that did not finish
        y[21] -= 1e6;
        Stats.Fit f = Stats.theilSen(x, y, 0.95);
        assertTrue(f.low() <= 2.0 && 2.0 <= f.high(), f.toString());
        assertEquals(2.0, f.slope(), 0.15);
    }

    @Test
    void pureNoiseHasNoSignificantTrend() {
        Random r = new Random(7);
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            y[i] = 1e6 + r.nextGaussian() * 1000;
        }
        assertTrue(Stats.mannKendallP(y) > 0.05, "p=" + Stats.mannKendallP(y));
        double[] flat = new double[40];
        assertEquals(1.0, Stats.mannKendallP(flat));
    }

    @Test
    void tooFewPointsIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stats.theilSen(new double[] {1, 2}, new double[] {1, 2}, 0.95));
        assertTrue(e.getMessage().contains("at least 3"));
    }
}
