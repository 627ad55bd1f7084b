package dev.leakproof.core;

/**
 * How much the tracker records when a resource is created.
 *
 * <p>Open one for a piece of work with {@link Tracking#levelScope(TrackingLevel)}; where none is open, the
 * process default applies: the system property {@value Tracking#LEVEL_PROPERTY} ({@code off}, {@code sampled},
 * {@code full}) or {@link Tracking#setDefaultLevel(TrackingLevel)}. A {@link LeakScope} that is open on a
 * thread records every creation on that thread whatever the level, so that a test can check its own code
 * without slowing down the rest of the process.
 */
public enum TrackingLevel {
    /** Nothing is recorded: {@link ResourceKind#track} costs one field read and allocates nothing. */
    OFF,
    /**
     * One creation in {@link Tracking#samplingInterval()} records its site, is counted in the totals by kind
     * and watched for garbage collection while unreleased; the others cost one random draw and allocate
     * nothing (Netty's SIMPLE level). Totals are then a sample: multiply by the interval to estimate.
     */
    SAMPLED,
    /**
     * Every creation is counted in its kind's totals, exactly, by a small token with no site; one in
     * {@link Tracking#samplingInterval()} also records its site and is watched, as at {@link #SAMPLED}. Totals
     * are exact (an unreleased resource whose owner died stays counted live), sites are a sample. The soak's
     * level: exact counts to judge by, at a fraction of {@link #FULL}'s cost (no stack walk, no reference).
     */
    COUNTED,
    /** Every creation records its site and is watched (Netty's PARANOID level). */
    FULL;

    /**
     * Parses a level name as given on the command line, ignoring case.
     *
     * @param name {@code off}, {@code sampled}, {@code counted} or {@code full}
     * @return the level
     * @throws IllegalArgumentException if the name is none of these
     */
    public static TrackingLevel parse(String name) {
        for (TrackingLevel level : values()) {
            if (level.name().equalsIgnoreCase(name.strip())) {
                return level;
            }
        }
        throw new IllegalArgumentException(
                "unknown tracking level '" + name + "': expected one of off, sampled, counted, full");
    }
}
