package dev.leakproof.kv;

import java.time.Instant;
import java.util.Objects;

/**
 * When a blob or integer written by {@code put} or {@code update} expires. Precision is one millisecond.
 * An entry whose expiry has passed is absent everywhere (reads, tags, {@link Tag#getEntries()}); an expiry
 * in the past is accepted and makes the entry absent at once.
 */
public final class Expiry {
    /** The entry never expires (the default of {@code put} and {@code update}). */
    public static final Expiry NEVER = new Expiry(0);
    /** {@code update} keeps the expiry the entry had (never, for a new entry). */
    public static final Expiry PRESERVE = new Expiry(-1);

    private final long millis;

    private Expiry(long millis) {
        this.millis = millis;
    }

    /**
     * @param instant when the entry expires
     * @return that expiry
     * @throws NullPointerException     if {@code instant} is null
     * @throws IllegalArgumentException if {@code instant} is at or before the epoch
     */
    public static Expiry at(Instant instant) {
        long ms = Objects.requireNonNull(instant, "instant").toEpochMilli();
        if (ms <= 0) {
            throw new IllegalArgumentException("expiry must be after the epoch (1970-01-01T00:00:00Z), got " + instant);
        }
        return new Expiry(ms);
    }

    /** @return milliseconds since the epoch; 0 for NEVER, -1 for PRESERVE */
    long millis() {
        return millis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expiry e && e.millis == millis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis);
    }

    @Override
    public String toString() {
        return millis == 0 ? "Expiry.NEVER" : millis == -1 ? "Expiry.PRESERVE" : "Expiry.at(" + Instant.ofEpochMilli(millis) + ")";
    }
}
