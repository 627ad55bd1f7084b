package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A price formatter rebuilt on every configuration reload (every 32 iterations). Each formatter keeps its scratch
 * space in its own, non-static {@link ThreadLocal}, and the scratch is an inner class, so the value holds the
 * formatter, which holds the {@code ThreadLocal}. A thread's map holds its keys weakly but its values strongly: the
 * key stays reachable through its own value, is never cleared, and the entry is never expunged. The request thread
 * (long-lived, like a pool thread) keeps every formatter it ever used: per reload a map entry (32 B), the scratch
 * (24 B) and its 32-char {@code char[]} (80 B), the formatter (16 B), its {@code ThreadLocal} (24 B) and
 * initial-value supplier (16 B), and a table slot — about 200 bytes per 32 iterations, 6.3 B per iteration, never
 * freed though the application dropped every old formatter.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 6.3,
        culprit = "ThreadLocal|Scratch|PriceFormatter|char\\[\\]|\\[C|Entry",
        userFrame = "ThreadLocalValuePinsItsKey",
        summary = "a formatter per reload (every 32 iterations) with its own ThreadLocal whose value refers back to it")
public final class ThreadLocalValuePinsItsKey implements Runnable {
    private final Mill mill = new Mill();
    private PriceFormatter formatter;
    private long calls;
    private long acc;

    /** The first formatter is made on the first call. */
    public ThreadLocalValuePinsItsKey() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 32 == 0) {
            formatter = new PriceFormatter();
        }
        acc += formatter.format(mill.sink());
        calls++;
    }

    /** Formats prices into a per-thread scratch array. */
    static final class PriceFormatter {
        private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch());

        int format(long price) {
            Scratch s = scratch.get();
            long v = price & Long.MAX_VALUE;
            int n = 0;
            do {
                s.digits[n++] = (char) ('0' + v % 10);
                v /= 10;
            } while (v != 0 && n < s.digits.length);
            return n;
        }

        /** Inner on purpose: it refers to its formatter (as real scratch classes often do, for its settings). */
        final class Scratch {
            final char[] digits = new char[32];

            PriceFormatter owner() {
                return PriceFormatter.this;
            }
        }
    }
}
