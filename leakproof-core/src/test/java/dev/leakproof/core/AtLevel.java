package dev.leakproof.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each test of a class (or one method) inside a {@link LevelScope} of the given level, opened before the
 * test's {@code @BeforeEach} methods and closed after its {@code @AfterEach} methods, on the test's thread.
 * A method's annotation wins over its class's; a scope opened in the test nests inside.
 *
 * <p>leakproof-core's own copy of leakproof-junit's {@code @WithTrackingLevel}: core's tests cannot use that
 * module, which depends on core (a reactor cycle), and core's main code does not depend on JUnit.
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(AtLevel.Extension.class)
@interface AtLevel {
    TrackingLevel value();

    /** Opens and closes the scope. */
    final class Extension implements BeforeEachCallback, AfterEachCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Extension.class);

        @Override
        public void beforeEach(ExtensionContext context) {
            AtLevel at = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, AtLevel.class))
                    .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, AtLevel.class)))
                    .orElseThrow();
            context.getStore(NS).put(LevelScope.class, Tracking.levelScope(at.value()));
        }

        @Override
        public void afterEach(ExtensionContext context) {
            LevelScope scope = context.getStore(NS).remove(LevelScope.class, LevelScope.class);
            if (scope != null) {
                scope.close();
            }
        }
    }
}
