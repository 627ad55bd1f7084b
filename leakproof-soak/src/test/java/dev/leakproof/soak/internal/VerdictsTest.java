package dev.leakproof.soak.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.soak.SoakResult.Finding;
import dev.leakproof.soak.Verdict;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * One test per decision rule, on synthetic series shaped like what the probes measure: 40 samples over 50,000
 * iterations, noise of the size the heap probe shows after a full GC. Each would fail if its rule were removed.
 */
class VerdictsTest {
    static final int SAMPLES = 40;
    static final long ITERATIONS = 50_000;
    static final double HEAP_NOISE = 2_000;

    static Verdicts.Series series(boolean count, double noise, double userFloor, LongToDoubleFunction f) {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] x = new double[SAMPLES];
        double[] y = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long it = Math.round((double) i * ITERATIONS / (SAMPLES - 1));
            x[i] = it;
            y[i] = f.applyAsDouble(it) + (noise == 0 ? 0 : noise * gaussian(rnd));
        }
        return new Verdicts.Series(count, x, y, 0.5, 0.95, noise, 0, userFloor, null);
    }

    static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    // ---- counts

    @Test
    void oneThreadEvery500IterationsIsALeakWhateverItsRate() {
        Verdicts.Judgement j = Verdicts.judge(series(true, 0, 0, it -> 10 + it / 500));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
        assertEquals(0.002, j.slope(), 0.0002);
    }

    @Test
    void oneDescriptorEvery100IterationsIsALeakNotAStraddle() {
        Verdicts.Judgement j = Verdicts.judge(series(true, 0, 0, it -> 35 + it / 100));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
    }

    @Test
    void aCountRiseThatIsGivenBackIsNoLeak() {
        // a pool thread that comes and goes
        Verdicts.Judgement j = Verdicts.judge(series(true, 0, 0, it -> 12 + (it / 3_000) % 2));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
    }

    @Test
    void aPoolReachingItsSizeEarlyIsNoLeak() {
        Verdicts.Judgement j = Verdicts.judge(series(true, 0, 0, it -> 10 + Math.min(4, it / 2_000)));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
        assertEquals(Finding.STEP_THEN_FLAT, j.finding());
    }

    @Test
    void twoThreadsInTheJudgedWindowAreUndecidedNotNoLeak() {
        // one thread every 12,000 iterations: the run must go on before calling it either way
        Verdicts.Judgement j = Verdicts.judge(series(true, 0, 0, it -> 10 + it / 12_000));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
    }

    @Test
    void threadsThatStopRisingInTheJudgedWindowAreNotYetALeak() {
        // a pool growing one thread per 2,000 iterations up to 35,000 iterations, then at its size
        Verdicts.Judgement j = Verdicts.judge(series(true, 0, 0, it -> 10 + Math.min(it, 35_000) / 2_000));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
    }

    // ---- bytes

    @Test
    void fourBytesPerIterationOnTheHeapIsALeak() {
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + 4.0 * it));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
        assertEquals(4.0, j.slope(), 0.5);
    }

    @Test
    void eightBytesPerIterationIsALeakEvenWithoutAFixedThreshold() {
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + 8.0 * it));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
    }

    @Test
    void noiseAloneIsNoLeak() {
        for (double noise : new double[] {500, HEAP_NOISE, 50_000}) {
            Verdicts.Judgement j = Verdicts.judge(series(false, noise, 0, it -> 30e6));
            assertEquals(Verdict.NO_LEAK, j.verdict(), () -> noise + ": " + j.note());
            assertEquals(Finding.FLAT, j.finding());
        }
    }

    @Test
    void growthBelowTheUsersFloorIsReportedAsSuchNotAsFlat() {
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 64, it -> 30e6 + 3.1 * it));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
        assertEquals(Finding.GROWS_BELOW_FLOOR, j.finding());
        assertTrue(j.note().contains("below your floor of 64"), j.note());
    }

    @Test
    void whatSamplingLeavesBehindIsNotALeak() {
        // 400 B per sample of the sampler's own residue, measured by calibration, at 1,282 iterations per sample
        double[] x = new double[SAMPLES];
        double[] y = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            x[i] = Math.round((double) i * ITERATIONS / (SAMPLES - 1));
            y[i] = 30e6 + 400.0 * i;
        }
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, x, y, 0.5, 0.95, 0, 400, 0, null));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
    }

    @Test
    void theDriftOfTheProbesOwnErrorBoundIsNotALeak() {
        // native-libs: the JVM's malloc count grows by 1,500 over the run, ±8 B each, and the probe drifts 0.2 B/it
        Verdicts.Series base = series(false, 200, 0, it -> 5e6 + 0.2 * it);
        double[] bound = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            bound[i] = 8.0 * (40_000 + 1_500.0 * i / (SAMPLES - 1));
        }
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, base.x(), base.y(), 0.5, 0.95, 200, 0, 0,
                bound));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
        Verdicts.Judgement leak = Verdicts.judge(new Verdicts.Series(false, base.x(),
                series(false, 200, 0, it -> 5e6 + 4.0 * it).y(), 0.5, 0.95, 200, 0, 0, bound));
        assertEquals(Verdict.LEAK, leak.verdict(), leak::note);
    }

    @Test
    void nativeMemoryCreepingWithTheJvmsOwnBookkeepingIsNotALeakButFourBytesIs() {
        // glibc's bookkeeping of the JVM's threads and arenas: 1.2 B/iteration on a clean, busy run
        Verdicts.Series creep = series(false, 300, 0, it -> 5e6 + 1.2 * it);
        Verdicts.Judgement clean = Verdicts.judge(new Verdicts.Series(false, creep.x(), creep.y(), 0.5, 0.95, 300, 0, 0,
                null, Verdicts.NATIVE_BACKGROUND_RISE));
        assertTrue(clean.verdict() != Verdict.LEAK, clean::note);
        Verdicts.Series leak = series(false, 300, 0, it -> 5e6 + 4.0 * it);
        Verdicts.Judgement leaking = Verdicts.judge(new Verdicts.Series(false, leak.x(), leak.y(), 0.5, 0.95, 300, 0,
                0, null, Verdicts.NATIVE_BACKGROUND_RISE));
        assertEquals(Verdict.LEAK, leaking.verdict(), leaking::note);
    }

    @Test
    void aLeakTheCalibrationsNoiseHidesIsUndecidedNeverFlat() {
        // native-libs of an FFM arena leak, 8 B/iteration with 200 B of scatter, after a calibration that caught a
        // transient (77 KB of noise: a floor of 12 B/iteration over the 25,000 judged iterations); a CI run
        // called this NO_LEAK, "no growth above 12.4 B/iteration"
        Verdicts.Series leak = series(false, 200, 0, it -> 5e6 + 8.0 * it);
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, leak.x(), leak.y(), 0.5, 0.95, 77_000, 0, 0,
                null, Verdicts.NATIVE_BACKGROUND_RISE));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
        assertTrue(j.note().contains("calibration"), j::note);
        // the same samples with a quiet calibration: a leak
        Verdicts.Judgement quiet = Verdicts.judge(new Verdicts.Series(false, leak.x(), leak.y(), 0.5, 0.95, 200, 0, 0,
                null, Verdicts.NATIVE_BACKGROUND_RISE));
        assertEquals(Verdict.LEAK, quiet.verdict(), quiet::note);
        // and clean samples after the same noisy calibration stay flat
        Verdicts.Series clean = series(false, 200, 0, it -> 5e6 + 0.5 * it);
        Verdicts.Judgement flat = Verdicts.judge(new Verdicts.Series(false, clean.x(), clean.y(), 0.5, 0.95, 77_000, 0,
                0, null, Verdicts.NATIVE_BACKGROUND_RISE));
        assertEquals(Verdict.NO_LEAK, flat.verdict(), flat::note);
    }

    @Test
    void aProbeThatNeverMovesIsNoLeak() {
        Verdicts.Judgement j = Verdicts.judge(series(false, 0, 0, it -> 0));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
    }

    // ---- steps

    @Test
    void aPoolLeakingInFourMiBChunksIsALeakInSteps() {
        // 256 B/iteration out of 4 MiB chunks: a step every 16,384 iterations; the run extended to 100,000
        double[] x = new double[60];
        double[] y = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = Math.round(i * 100_000.0 / 59);
            y[i] = 8e6 + (4 << 20) * Math.floor((x[i] + 8_000) / 16_384);
        }
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, x, y, 0.5, 0.95, 1_000, 0, 0, null));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
        assertTrue(j.finding() == Finding.GROWS_IN_STEPS || j.finding() == Finding.GROWS, j.finding()::name);
        assertEquals(256, j.slope(), 80);
    }

    @Test
    void repeatedStepsAloneAreALeakWhenTheSlopeCannotSayIt() {
        // three chunks in the run, the judged window holding one step: Theil–Sen alone would not decide
        Verdicts.Judgement j = Verdicts.judge(series(false, 1_000, 0,
                it -> 8e6 + (4 << 20) * Math.floor((it + 5_000) / 15_000.0)));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
        assertEquals(Finding.GROWS_IN_STEPS, j.finding());
    }

    @Test
    void aListThatKeepsGrowingByHalfIsALeakInSteps() {
        // one 4-byte slot every iteration, arriving only when ArrayList grows its array by half: steps whose
        // height and gap grow by 1.5 each time, the later half of the run holding one or two of them
        double[] x = new double[80];
        double[] y = new double[80];
        for (int i = 0; i < 80; i++) {
            x[i] = Math.round(i * 340_000.0 / 79);
            long capacity = 10;
            while (capacity < x[i]) {
                capacity += capacity >> 1;
            }
            y[i] = 30e6 + 4.0 * capacity;
        }
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, x, y, 0.5, 0.95, 0, 48, 0, null));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
        assertEquals(4, j.slope(), 2);
    }

    @Test
    void aCacheWhoseLevelFollowsTheLoopsSpeedIsNotAStaircase() {
        // Caffeine's expireAfterWrite(250 ms) holds what 250 ms of requests write (the heap samples of a main-corpus
        // run that called it LEAK): three quick steps while it filled, in the first 13,000 iterations, then one rise
        // of 230 KB at iteration 243,869 when the loop sped up, just past the window's middle. One step since the
        // fill is not a staircase
        double[] x = {0, 3366, 7638, 13223, 17241, 30498, 34703, 40881, 49881, 54494, 61179, 66629, 74253, 79942, 84959, 91759, 99225, 103309, 110875, 117244, 122412, 129631, 137274, 142627, 147144, 155794, 160242, 167531, 174331, 179705, 185828, 191106, 197847, 203574, 212039, 218443, 224622, 228395, 236688, 243869, 252414, 262683, 279305, 287633, 302146, 315342, 328049, 338165, 351231, 360026, 372070, 385538, 398656, 409470, 422018, 435748, 445397, 458269, 470568, 487738};
        double[] y = {5003536, 5272120, 5988528, 6885648, 6949536, 7246392, 7229160, 6970488, 7241096, 7011224, 7005352, 7020144, 7002432, 6988720, 6924408, 6890536, 7116944, 7003440, 6995008, 7066256, 6958472, 6918200, 7218088, 6961864, 6974528, 6988656, 6981664, 6969392, 7094880, 6987248, 6979936, 6979504, 6977312, 6980720, 7111816, 7220400, 6966528, 6980016, 6968704, 7215152, 7203600, 7203168, 7509528, 7244136, 7267704, 7262632, 7252600, 7242568, 7260056, 7250984, 7260408, 7252616, 7253944, 7249512, 7249560, 7258728, 7254656, 7289744, 7229792, 7568240};
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, x, y, 0.5, 0.95, 2_000, 0, 0, null));
        assertNotEquals(Verdict.LEAK, j.verdict(), j::note);
        assertNotEquals(Finding.GROWS_IN_STEPS, j.finding(), j::note);
        assertEquals(1, Verdicts.stepsSinceGapJump(new double[] {3366, 7638, 13223, 243869}, 4));
        assertEquals(3, Verdicts.stepsSinceGapJump(new double[] {3000, 7000, 12000, 80000, 160000, 240000}, 6),
                "a fill, then a staircase of its own");
        assertEquals(5, Verdicts.stepsSinceGapJump(new double[] {10000, 15000, 22500, 33750, 50625}, 5),
                "gaps widening by half: one staircase");
    }

    @Test
    void aFillThatClimbsUntilTwoThirdsOfTheRunThenStopsIsNotALeak() {
        // a weighted Caffeine cache filling until iteration ~32,850 of 50,000, then flat with a sawtooth of its
        // evictions (the heap samples of a held-out case's report): the climb's larger increments look like three
        // steps, and the next one is overdue, so this is not yet a leak and the run extends
        double[] x = {0, 911, 2068, 3579, 4667, 6253, 7115, 8382, 10227, 11173, 12544, 13661, 15224, 16390, 17419, 18813, 20344, 21181, 22732, 24038, 25098, 26578, 28145, 29243, 30169, 31942, 32854, 34348, 35743, 36845, 38100, 39182, 40564, 41738, 43474, 44787, 46054, 46827, 48528, 50000};
        double[] y = {4550152, 4658512, 4799808, 4963152, 5097088, 5271448, 5365248, 5502024, 5704552, 5839536, 5988912, 6109728, 6278472, 6551040, 6662296, 6812896, 6978208, 7068760, 7301744, 7442840, 7560832, 7720720, 7890112, 8008792, 8109192, 8431608, 8493472, 8493728, 8509952, 8629016, 8510048, 8626952, 8510144, 8636984, 8510408, 8652736, 8510872, 8594512, 8510968, 8669992};
        Verdicts.Judgement j = Verdicts.judge(new Verdicts.Series(false, x, y, 0.5, 0.95, 2_000, 0, 0, null));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
        // extended with the same flat tail: cleared
        double[] x2 = java.util.Arrays.copyOf(x, 60);
        double[] y2 = java.util.Arrays.copyOf(y, 60);
        for (int i = 40; i < 60; i++) {
            x2[i] = 50_000 + (i - 39) * 2_500;
            y2[i] = i % 2 == 0 ? 8_510_000 : 8_650_000;
        }
        Verdicts.Judgement later = Verdicts.judge(new Verdicts.Series(false, x2, y2, 0.5, 0.95, 2_000, 0, 0, null));
        assertEquals(Verdict.NO_LEAK, later.verdict(), later::note);
    }

    @Test
    void oneStepEarlyThenFlatIsNoLeak() {
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + (it > 5_000 ? 2e6 : 0)));
        assertEquals(Verdict.NO_LEAK, j.verdict(), j::note);
        assertEquals(Finding.STEP_THEN_FLAT, j.finding());
    }

    @Test
    void oneStepLateIsNotCalledALeak() {
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + (it > 37_500 ? 2e6 : 0)));
        assertTrue(j.verdict() != Verdict.LEAK, j::note);
    }

    @Test
    void aSawtoothIsNoLeak() {
        // a buffer growing 100 B/iteration to 1 MB, then cleared
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + 100.0 * (it % 10_000)));
        assertTrue(j.verdict() != Verdict.LEAK, j::note);
    }

    @Test
    void aStepInTheFirstHalfOfTheJudgedWindowIsNotYetALeak() {
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + (it > 31_000 ? 2e6 : 0)));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
    }

    @Test
    void growthThatStopsInTheJudgedWindowIsNotYetALeak() {
        // a bounded store filling at 100 B/iteration until it is full at 40,000 iterations
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0, it -> 30e6 + 100.0 * Math.min(it, 40_000)));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
    }

    @Test
    void theLastRampOfASawtoothIsNotAStaircase() {
        for (int period : new int[] {9_000, 11_000, 14_000, 17_000}) {
            Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0,
                    it -> 30e6 + 1e6 * (it % period) / period));
            assertTrue(j.verdict() != Verdict.LEAK, () -> period + ": " + j.note());
        }
    }

    // ---- slowing

    @Test
    void aFillThatSlowsDownIsNotCalledALeak() {
        // a bounded cache with random keys: distinct keys seen approach the bound exponentially
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0,
                it -> 30e6 + 20e6 * (1 - Math.exp(-it / 20_000.0))));
        assertEquals(Verdict.INCONCLUSIVE, j.verdict(), j::note);
        assertEquals(Finding.SLOWING, j.finding());
        assertTrue(j.note().contains("may plateau near"), j.note());
    }

    @Test
    void aLeakAfterAFastWarmUpIsStillALeak() {
        // fast early growth (caches, JIT) then a steady 16 B/iteration: not slowing quarter after quarter
        Verdicts.Judgement j = Verdicts.judge(series(false, HEAP_NOISE, 0,
                it -> 30e6 + 16.0 * it + 4e6 * (1 - Math.exp(-it / 3_000.0))));
        assertEquals(Verdict.LEAK, j.verdict(), j::note);
    }

    @Test
    void judgedWindowIsTheLaterPartByIterations() {
        double[] x = {0, 100, 200, 300, 400, 600, 800, 1000, 1200, 1400, 1600};
        assertEquals(6, Verdicts.judgedFrom(x, 0.5));
    }
}
