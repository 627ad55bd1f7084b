package dev.leakproof.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Live (or leaked) resources of one kind created at one site.
 *
 * @param kind      what the resources are, for example {@code "work-item"} or {@code "native-memory"}
 * @param site      where they were created
 * @param count     how many
 * @param bytes     how many bytes they hold in all
 * @param oldestAge age of the oldest of them
 */
public record Culprit(String kind, Site site, long count, long bytes, Duration oldestAge) {
    /** @throws NullPointerException if a reference argument is null */
    public Culprit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(oldestAge, "oldestAge");
    }
}
