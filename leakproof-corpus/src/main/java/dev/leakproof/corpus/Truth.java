package dev.leakproof.corpus;

/** What a right tool says about a corpus case. INCONCLUSIVE is never the truth: every case is built to be decidable. */
public enum Truth {
    /** The case retains, opens or starts something on a schedule tied to the iterations, without bound. */
    LEAK,
    /** Whatever the case holds is bounded: it steps once, fills to a bound, saws, or churns. */
    NO_LEAK
}
