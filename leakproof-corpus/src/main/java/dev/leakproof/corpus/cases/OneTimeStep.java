package dev.leakproof.corpus.cases;

/**
 * A lookup table of 2 MiB ({@code long[262144]}) built lazily the first time a case's call count reaches a
 * trigger, then read on every later call and never grown: one step of the heap, then flat.
 *
 * <p>Triggers are counted in calls of {@code run()}, warm-up included. With the soak's defaults (2,000 warm-up
 * iterations, a first pass of 50,000 measured ones) call {@code 2,000 + f × 50,000} lands at the fraction
 * {@code f} of the first pass.
 */
final class OneTimeStep {
    static final int TABLE_LONGS = 262_144;
    private final long trigger;
    private final Work work = Work.heavy();
    private long calls;
    private long[] table;
    private long sink;

    OneTimeStep(long trigger) {
        this.trigger = trigger;
    }

    void call() {
        work.request();
        if (++calls == trigger) {
            long[] t = new long[TABLE_LONGS];
            for (int i = 0; i < t.length; i++) {
                t[i] = i * 0x9E3779B97F4A7C15L;
            }
            table = t;
        }
        if (table != null) {
            sink += table[(int) (calls & (TABLE_LONGS - 1))];
        }
    }
}
