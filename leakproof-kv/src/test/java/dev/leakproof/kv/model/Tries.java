package dev.leakproof.kv.model;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Runs a property on generated cases and shrinks a failing one: the small replacement of a property-testing
 * library the model-based test needs, and no more.
 *
 * <p>Seeds: try {@code i} generates its case from {@code new SplittableRandom(seed_i)}, where the {@code seed_i}
 * are drawn in order from {@code new SplittableRandom(base)}; the base seed is random per run, or {@code
 * -Dkv.model.baseSeed=B} to repeat a whole run. {@code -Dkv.model.seed=S} runs the one case of seed {@code S}
 * instead (what a failure report prints), and {@code -Dkv.model.tries=N} overrides the number of tries.
 *
 * <p>Shrinking is greedy delta debugging (Zeller and Hildebrandt, "Simplifying and isolating failure-inducing
 * input", 2002, in its simple one-minimal form): the first of the case's smaller candidates that still fails
 * becomes the case, until none of them fails or the budget of checks is spent. A case that fails only under some
 * interleavings (the threaded property) shrinks as far as its failures repeat.
 *
 * @param <C> the case: a program, or the programs of several threads
 */
public final class Tries<C> {
    /** A property: returns normally when the case passes, throws when it fails. */
    @FunctionalInterface
    public interface Property<C> {
        void check(C c) throws Exception;
    }

    private final String name;
    private final String reproduce;
    private final Function<SplittableRandom, C> generate;
    private final Function<C, List<C>> smaller;
    private final Function<C, String> describe;
    private final int maxShrinkChecks;

    /**
     * @param name            the property, for the report
     * @param reproduce       the command that reruns one seed, ending just before the seed's value
     * @param generate        draws one case
     * @param smaller         the candidates smaller than a case, most promising first
     * @param describe        a case as the report prints it
     * @param maxShrinkChecks at most this many checks while shrinking
     */
    public Tries(String name, String reproduce, Function<SplittableRandom, C> generate, Function<C, List<C>> smaller,
                 Function<C, String> describe, int maxShrinkChecks) {
        this.name = name;
        this.reproduce = reproduce;
        this.generate = generate;
        this.smaller = smaller;
        this.describe = describe;
        this.maxShrinkChecks = maxShrinkChecks;
    }

    /**
     * Checks {@code property} on {@code tries} cases (or the one of {@code -Dkv.model.seed}).
     *
     * @throws AssertionError naming the seed, the minimal failing case and how to rerun it, caused by that case's
     *                        own failure
     */
    public void run(int tries, Property<C> property) {
        Long only = Long.getLong("kv.model.seed");
        if (only != null) {
            runSeed(only, "seed " + only + " (-Dkv.model.seed)", property);
            return;
        }
        long base = Long.getLong("kv.model.baseSeed", new SplittableRandom().nextLong());
        SplittableRandom seeds = new SplittableRandom(base);
        int count = Integer.getInteger("kv.model.tries", tries);
        for (int i = 0; i < count; i++) {
            long seed = seeds.nextLong();
            runSeed(seed, "try " + (i + 1) + " of " + count + ", seed " + seed + " (base seed " + base + ")",
                    property);
        }
    }

    private void runSeed(long seed, String which, Property<C> property) {
        C c = generate.apply(new SplittableRandom(seed));
        Throwable failure = failure(property, c);
        if (failure == null) {
            return;
        }
        C original = c;
        int checks = 0;
        int steps = 0;
        boolean progress = true;
        while (progress && checks < maxShrinkChecks) {
            progress = false;
            for (C candidate : smaller.apply(c)) {
                if (checks++ >= maxShrinkChecks) {
                    break;
                }
                Throwable f = failure(property, candidate);
                if (f != null) {
                    c = candidate;
                    failure = f;
                    steps++;
                    progress = true;
                    break;
                }
            }
        }
        throw new AssertionError(name + " failed on " + which + ".\n"
                + "Shrunk in " + steps + " steps (" + checks + " checks"
                + (checks >= maxShrinkChecks ? ", the budget, so perhaps not minimal" : "") + ") to:\n  "
                + describe.apply(c) + "\n"
                + "which fails with: " + failure + "\n"
                + "Original case: " + describe.apply(original) + "\n"
                + "Rerun this seed: " + reproduce + seed, failure);
    }

    private static <C> Throwable failure(Property<C> property, C c) {
        try {
            property.check(c);
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return e;
        }
    }
}
