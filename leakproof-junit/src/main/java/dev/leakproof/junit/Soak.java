package dev.leakproof.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Options for the {@link Soaker} of one test method. Every element left out takes its value from
 * {@code SoakOptions.Defaults} (the one place defaults live; the command line reads them too), except the
 * first pass's length, which is {@code SoakOptions.Defaults.TEST_ITERATIONS}: sized for a test suite, and the
 * run still extends itself while a probe is undecided, up to {@link #maxDurationSeconds()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Soak {
    /** @return measured iterations of a fixed run; 0 (default): a self-extending run */
    long iterations() default 0;

    /** @return warm-up iterations; -1 (default): {@code SoakOptions.Defaults.WARMUP} */
    long warmup() default -1;

    /** @return samples per pass; 0 (default): {@code SoakOptions.Defaults.TEST_SAMPLES} */
    int samples() default 0;

    /**
     * @return the floor: growth below this many bytes per iteration is reported but does not fail the test;
     *         0 (default): only the instrument's own resolution
     */
    double minLeakBytesPerIteration() default 0;

    /** @return time budget of a self-extending run, in seconds; 0 (default): {@code SoakOptions.Defaults.MAX_DURATION} */
    long maxDurationSeconds() default 0;

    /** @return whether an inconclusive soak fails the test (a test should decide; the report says how) */
    boolean failOnInconclusive() default true;
}
