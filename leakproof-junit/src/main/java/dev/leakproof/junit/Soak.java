package dev.leakproof.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Options for the {@link Soaker} of one test method; without it, {@link Soaker} uses the defaults listed
 * here, sized for a test suite rather than for a soak in CI.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Soak {
    /** @return measured iterations */
    long iterations() default 20_000;

    /** @return warm-up iterations */
    long warmup() default 2_000;

    /** @return samples over the run */
    int samples() default 20;

    /** @return smallest growth in bytes per iteration that fails the test */
    double minLeakBytesPerIteration() default 16;

    /** @return whether an inconclusive soak fails the test (a test should decide; the report says how) */
    boolean failOnInconclusive() default true;
}
