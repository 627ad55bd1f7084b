package dev.leakproof.soak;

/** What a soak concluded, for one probe or for the whole run. */
public enum Verdict {
    /** Sustained growth: the slope's whole interval lies above the smallest leak that matters. */
    LEAK,
    /** The slope's whole interval lies below the smallest leak that matters. */
    NO_LEAK,
    /** The interval straddles that threshold: run longer or sample more, as the report says. */
    INCONCLUSIVE
}
