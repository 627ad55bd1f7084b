package dev.leakproof.kv.model;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** The injected clock of the model-based test: moves only when the test moves it. */
public final class ManualClock implements InstantSource {
    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

    /** @param ms how far to move, in milliseconds */
    public void advance(long ms) {
        millis.addAndGet(ms);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }
}
