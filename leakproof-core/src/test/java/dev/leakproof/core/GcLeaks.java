package dev.leakproof.core;

import java.util.Optional;

/** Waits for the garbage collector to find a leaked owner. */
final class GcLeaks {
    private GcLeaks() {
    }

    /** @return the GC-detected culprit of {@code kind} whose site mentions {@code method}, waiting up to 10 s */
    static Optional<Culprit> await(String kind, String method) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Tracking.settle();
            Optional<Culprit> found = Tracking.leaked().ofKind(kind).stream()
                    .filter(c -> c.site().frames().stream().anyMatch(f -> f.contains(method)))
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
