package dev.leakproof.junit;

import dev.leakproof.core.TrackingLevel;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of a class, or one test method, at a tracking level of its own: a leakproof-core
 * {@code LevelScope} opened on the test's thread before its {@code @BeforeEach} methods and closed after its
 * {@code @AfterEach} methods. Work the test submits to a {@code WorkQueue} runs at the level too. A method's
 * annotation wins over its class's; nothing is saved or restored, and tests running in parallel each keep
 * their own level.
 * {@snippet :
 * @WithTrackingLevel(TrackingLevel.FULL)   // every resource the tests create records its site
 * class DriverTest {
 *     @Test
 *     void readsReleaseTheirValues() { ... }
 *
 *     @Test
 *     @WithTrackingLevel(TrackingLevel.OFF) // this one measures the driver without tracking
 *     void manyReads() { ... }
 * }
 * }
 * With {@link LeakCheck} as well, the leak scope opens inside the level scope (and records everything
 * whatever the level).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(LeakproofExtension.class)
public @interface WithTrackingLevel {
    /** @return the level the test runs at */
    TrackingLevel value();
}
