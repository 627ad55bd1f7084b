package dev.leakproof.junit;

import dev.leakproof.soak.SoakResult;
import dev.leakproof.soak.SoakTarget;

/**
 * Soaks code from a test and fails the test when it leaks. Declare it as a test method parameter in a
 * class extended with {@link LeakproofExtension}; options come from {@link Soak} on the method.
 * {@snippet :
 * @ExtendWith(LeakproofExtension.class)
 * class TagTest {
 *     @Test
 *     @Soak(iterations = 30_000)
 *     void getEntriesDoesNotLeak(Soaker soaker) {
 *         soaker.assertNoLeak(SoakTarget.of(() -> tag.getEntries()));
 *     }
 * }
 * }
 * The HTML report of every soak goes to {@code target/leakproof/<class>.<method>.html} (system property
 * {@code leakproof.reportDir} moves it).
 */
public interface Soaker {

    /**
     * Soaks {@code target} and fails the test on LEAK (and on INCONCLUSIVE unless
     * {@link Soak#failOnInconclusive()} is false) with the text report.
     *
     * @param target what to loop
     * @return the result, for further assertions
     * @throws org.opentest4j.AssertionFailedError when the soak finds a leak
     */
    SoakResult assertNoLeak(SoakTarget target);

    /**
     * Soaks {@code target} and returns the result without judging it.
     *
     * @param target what to loop
     * @return the result
     */
    SoakResult soak(SoakTarget target);
}
