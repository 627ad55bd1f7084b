package dev.leakproof.junit;

import dev.leakproof.core.LeakReport;
import dev.leakproof.core.LeakScope;
import dev.leakproof.core.LevelScope;
import dev.leakproof.core.Tracking;
import dev.leakproof.soak.SoakOptions;
import dev.leakproof.soak.SoakReports;
import dev.leakproof.soak.SoakResult;
import dev.leakproof.soak.SoakTarget;
import dev.leakproof.soak.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link LeakCheck}, {@link WithTrackingLevel} and {@link Soaker}: a level scope
 * around each test where {@code @WithTrackingLevel} applies, a leak scope inside it where {@code @LeakCheck}
 * applies, and a {@link Soaker} for any test method that declares one.
 */
public final class LeakproofExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakproofExtension.class);
    /** System property naming the directory for soak reports. */
    public static final String REPORT_DIR_PROPERTY = "leakproof.reportDir";

    /** Made by JUnit through {@code @ExtendWith} or {@link LeakCheck}. */
    public LeakproofExtension() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        WithTrackingLevel level = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, WithTrackingLevel.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, WithTrackingLevel.class)))
                .orElse(null);
        if (level != null) {
            context.getStore(NS).put(LevelScope.class, Tracking.levelScope(level.value()));
        }
        if (leakCheckApplies(context)) {
            context.getStore(NS).put(LeakScope.class, Tracking.openScope(context.getDisplayName()));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LevelScope level = context.getStore(NS).remove(LevelScope.class, LevelScope.class);
        try {
            checkLeaks(context);
        } finally {
            if (level != null) {
                level.close();
            }
        }
    }

    private static void checkLeaks(ExtensionContext context) {
        LeakScope scope = context.getStore(NS).remove(LeakScope.class, LeakScope.class);
        if (scope == null) {
            return;
        }
        scope.close();
        LeakReport leaks = scope.leaks();
        if (!leaks.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionFailedError("test " + context.getDisplayName() + " left resources unreleased:\n"
                    + leaks.toText());
        }
    }

    private static boolean leakCheckApplies(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, LeakCheck.class)).orElse(false)
                || context.getTestClass().map(c -> AnnotationSupport.isAnnotated(c, LeakCheck.class)).orElse(false);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Soaker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        Soak config = AnnotationSupport.findAnnotation(method, Soak.class).orElse(null);
        SoakOptions options = options(config);
        NativeMemoryTrackingNotice.once(System.err);
        boolean failOnInconclusive = config == null || config.failOnInconclusive();
        String name = context.getRequiredTestClass().getSimpleName() + "." + method.getName();
        return new TestSoaker(name, options, failOnInconclusive);
    }

    /** The options of one {@code @Soak} (or its absence): every default from {@code SoakOptions.Defaults}. */
    static SoakOptions options(Soak config) {
        SoakOptions o = SoakOptions.defaults().withInitialIterations(SoakOptions.Defaults.TEST_ITERATIONS)
                .withSamples(SoakOptions.Defaults.TEST_SAMPLES);
        if (config == null) {
            return o;
        }
        if (config.iterations() > 0) {
            o = o.withIterations(config.iterations());
        }
        if (config.warmup() >= 0) {
            o = o.withWarmup(config.warmup());
        }
        if (config.samples() > 0) {
            o = o.withSamples(config.samples());
        }
        if (config.maxDurationSeconds() > 0) {
            o = o.withMaxDuration(java.time.Duration.ofSeconds(config.maxDurationSeconds()));
        }
        return o.withMinLeak(config.minLeakBytesPerIteration());
    }

    private record TestSoaker(String name, SoakOptions options, boolean failOnInconclusive) implements Soaker {
        @Override
        public SoakResult soak(SoakTarget target) {
            SoakResult r = dev.leakproof.soak.Soak.run(name, options, target);
            Path dir = Path.of(System.getProperty(REPORT_DIR_PROPERTY, "target/leakproof"));
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(name + ".html"), SoakReports.html(r));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the soak report to " + dir
                        + " (set -D" + REPORT_DIR_PROPERTY + " to a writable directory)", e);
            }
            return r;
        }

        @Override
        public SoakResult assertNoLeak(SoakTarget target) {
            SoakResult r = soak(target);
            if (r.verdict() == Verdict.LEAK || (r.verdict() == Verdict.INCONCLUSIVE && failOnInconclusive)) {
                throw new AssertionFailedError(SoakReports.text(r, 5) + "report: "
                        + Path.of(System.getProperty(REPORT_DIR_PROPERTY, "target/leakproof"), name + ".html")
                        .toAbsolutePath());
            }
            return r;
        }
    }
}
