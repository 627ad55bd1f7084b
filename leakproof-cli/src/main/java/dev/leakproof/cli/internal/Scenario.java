package dev.leakproof.cli.internal;

import dev.leakproof.kv.internal.InjectedLeaks;
import dev.leakproof.soak.SoakTarget;
import java.net.URI;
import java.nio.file.Path;

/**
 * A built-in soak scenario on leakproof-kv.
 *
 * @param name        as given to {@code --scenario}
 * @param description one line for {@code leakproof scenarios}
 * @param iterations  default measured iterations
 * @param warmup      default warm-up iterations
 * @param minLeakBytesPerIteration smallest growth called a leak: the soak default, except where one iteration is
 *                    so heavy (opening a database) that sampling's own cost of about 1-2 KB per sample would show
 * @param leak        the driver release a {@code --leaky} run skips, or null if the scenario has no leaky variant
 * @param factory     makes the target in a temporary directory, or on a Redis Cluster
 */
public record Scenario(String name, String description, long iterations, long warmup,
                       double minLeakBytesPerIteration, InjectedLeaks.Leak leak, Factory factory) {

    /** Makes a scenario's target. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param dir     a fresh directory, deleted after the soak
         * @param cluster the Redis Cluster to run on ({@code --cluster}), or null for an embedded database in {@code dir}
         * @return the target; its tear-down closes what it opened
         */
        SoakTarget create(Path dir, URI cluster);
    }
}
