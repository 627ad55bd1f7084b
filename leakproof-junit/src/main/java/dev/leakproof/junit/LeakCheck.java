package dev.leakproof.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaves tracked resources unreleased. Each test runs inside a leakproof-core scope
 * opened on the test thread (work it submits to a {@code WorkQueue} included); after the test, everything
 * created in the scope and not released fails the test with a LeakSanitizer-style report naming each site.
 * {@snippet :
 * @LeakCheck
 * class DriverTest {
 *     @Test
 *     void readsReleaseTheirValues() { ... }
 * }
 * }
 * Scopes are per test thread, so tests running in parallel do not see each other's resources.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(LeakproofExtension.class)
public @interface LeakCheck {
}
