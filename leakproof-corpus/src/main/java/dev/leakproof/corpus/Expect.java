package dev.leakproof.corpus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The truth of a corpus case, written where the case is built. It comes from the code of the case (what it
 * keeps, opens or starts, and how often), never from what a soak said about it.
 *
 * {@snippet :
 * @Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 0.002, culprit = "corpus-sleeper",
 *         userFrame = "ThreadEvery500\\.run", summary = "a parked thread started every 500 iterations")
 * public final class ThreadEvery500 implements Runnable, AutoCloseable { ... }
 * }
 *
 * <p>A case passes when the soak's overall verdict is {@link #verdict()}; for a leak, also when the report's
 * {@link #probe()} says LEAK, its top culprit matches {@link #culprit()} and that culprit's user frame matches
 * {@link #userFrame()} (each only when given). {@code scripts/corpus.sh} and {@code CorpusSubsetTest} score
 * with the same {@link Scoring}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Expect {
    /** @return what a right tool says about the whole run */
    Truth verdict();

    /**
     * @return for a leak, the probe whose growth is the leak ({@code heap}, {@code native-libs}, {@code direct},
     *         {@code threads}, {@code fds}); for a clean case, the probe that moves without leaking (a step, a
     *         fill, a sawtooth), or "" when nothing moves on purpose
     */
    String probe() default "";

    /**
     * @return how much {@link #probe()} grows per iteration by construction (bytes, or threads/descriptors),
     *         what the case itself allocates or opens before any allocator overhead; 0 for a clean case
     */
    double perIteration() default 0;

    /**
     * @return a regular expression (case-insensitive, found anywhere) that the top culprit of {@link #probe()}
     *         must match in its kind, a frame of its path from a GC root, or a frame of its stack; "" when the
     *         truth names no culprit
     */
    String culprit() default "";

    /**
     * @return a regular expression (case-insensitive, found anywhere) that the top culprit's user frame must
     *         match, such as {@code ThreadEvery500\.run}; "" when the truth names none
     */
    String userFrame() default "";

    /** @return the real library the case exercises, "JDK" when none */
    String library() default "JDK";

    /** @return soak flags the case needs beyond the corpus' defaults, e.g. {@code --native-culprits} */
    String[] flags() default {};

    /** @return one line for the scores table: what the case does */
    String summary();
}
