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

    /** The latest instant an expiry holds: the largest epoch millisecond a {@code long} counts. */
    static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final long millis;

    private Expiry(long millis) {
        this.millis = millis;
    }

    /**
     * @param instant when the entry expires; an instant after {@code Instant.ofEpochMilli(Long.MAX_VALUE)} (the
     *                year 292,278,994), such as {@link Instant#MAX}, saturates to it
     * @return that expiry
     * @throws NullPointerException     if {@code instant} is null
     * @throws IllegalArgumentException if {@code instant} is before 1970-01-01T00:00:00.001Z
     */
    public static Expiry at(Instant instant) {
        return new Expiry(millisOf(instant));
    }

    /**
     * @param instant an expiry instant
     * @return its epoch milliseconds, saturated at {@link #LATEST}
     * @throws IllegalArgumentException if it is before the first millisecond after the epoch
     */
    static long millisOf(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        // toEpochMilli throws ArithmeticException outside the long range: compare instants, not millis
        if (instant.isAfter(LATEST)) {
            return Long.MAX_VALUE;
        }
        if (instant.isBefore(Instant.EPOCH.plusMillis(1))) {
            throw new IllegalArgumentException("expiry must be after the epoch (1970-01-01T00:00:00Z), got " + instant);
        }
        return instant.toEpochMilli();
    }

    /**
     * @param nowMillis the clock's epoch milliseconds
     * @param delay     how long from then; negative or zero means expired at once
     * @return {@code nowMillis + delay} in milliseconds, saturated at {@link Long#MAX_VALUE} and at 1 (the
     *         earliest expiry, long past), never overflowing
     */
    static long fromNow(long nowMillis, java.time.Duration delay) {
        Objects.requireNonNull(delay, "delay");
        long delayMillis;
        try {
            delayMillis = delay.toMillis();
        } catch (ArithmeticException tooLong) {
            delayMillis = delay.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long sum = nowMillis + delayMillis;
        // overflow iff both operands have the sign opposite to the sum's
        if (((nowMillis ^ sum) & (delayMillis ^ sum)) < 0) {
            sum = delayMillis < 0 ? 1 : Long.MAX_VALUE;
        }
        return Math.max(1, sum);
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
