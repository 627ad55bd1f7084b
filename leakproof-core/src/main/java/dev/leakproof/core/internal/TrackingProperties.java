package dev.leakproof.core.internal;

import dev.leakproof.core.TrackingLevel;

/** System property names and defaults of the tracker. */
public final class TrackingProperties {
    /** System property selecting the level: off, sampled, full. */
    public static final String LEVEL = "leakproof.tracking";
    /** System property selecting the sampling interval. */
    public static final String INTERVAL = "leakproof.tracking.interval";
    /** Level when the property is absent. */
    public static final TrackingLevel DEFAULT_LEVEL = TrackingLevel.SAMPLED;
    /** One creation in this many records its site at SAMPLED (Netty's default). */
    public static final int DEFAULT_INTERVAL = 128;

    private TrackingProperties() {
    }
}
