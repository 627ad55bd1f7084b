package dev.leakproof.cli.internal;

import dev.leakproof.soak.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The soak's progress: a redrawn bar on a terminal (iterations, rate, ETA, running estimate), plain lines
 * at every tenth otherwise (CI logs).
 */
public final class Progress implements ProgressListener {
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private String estimate = "";
    private int lastTenth = -1;
    private long lastTotal = -1;
    /** The last sample taken and the samples expected then: a pass that took all it expected is over. */
    private int lastSample;
    private int lastSamples = Integer.MAX_VALUE;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void progress(long done, long total, double fraction, double rate) {
        if (total > 0 && lastTotal > 0 && total > lastTotal) {
            // a self-extending run started another pass (it expects more samples), or the first pass was planned
            // again from the costs it measured; either way the fraction starts again below the last one
            lastTenth = (int) Math.floor(fraction * 10);
            String line = lastSample >= lastSamples
                    ? String.format(Locale.ROOT, "extending to %,d iterations: a probe is undecided", total)
                    : String.format(Locale.ROOT, "first pass planned again from its measured costs: %,d iterations",
                    total);
            out.print(terminal ? "\r" + line + "\u001b[K\n" : "soak: " + line + "\n");
            out.flush();
        }
        if (total > 0) {
            lastTotal = total;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : Double.NaN;
        String counts = total > 0 ? String.format(Locale.ROOT, "%,d/%,d it", done, total)
                : String.format(Locale.ROOT, "%,d it", done);
        String line = String.format(Locale.ROOT, "%3.0f%% %s · %,.0f it/s · ETA %s%s", fraction * 100, counts, rate,
                Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0fs", eta), estimate);
        if (terminal) {
            int width = 28;
            int filled = (int) Math.round(fraction * width);
            out.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + line + "\u001b[K");
            if (fraction >= 1.0) {
                out.println();
            }
            out.flush();
        } else {
            int tenth = (int) Math.floor(fraction * 10);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println("soak: " + line);
            }
        }
    }

    @Override
    public void sampled(int sample, int samples, String probe, double slope) {
        lastSample = sample;
        lastSamples = samples;
        estimate = Double.isNaN(slope) ? "" : String.format(Locale.ROOT, " · %s %+.1f B/it (sample %d/%d)", probe,
                slope, sample, samples);
    }
}
