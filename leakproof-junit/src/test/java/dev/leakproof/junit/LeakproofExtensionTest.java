package dev.leakproof.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.core.Tracked;
import dev.leakproof.core.Tracking;
import dev.leakproof.core.TrackingLevel;
import dev.leakproof.soak.SoakTarget;
import dev.leakproof.soak.Verdict;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class LeakproofExtensionTest {
    static final Map<String, Tracked> KEPT = new ConcurrentHashMap<>();
    static final List<Tracked> SOAK_KEPT = new ArrayList<>();

    @LeakCheck
    static class ScopedExamples {
        @Test
        void releases() {
            Tracking.kind("example", "test resource").track(8, null).close();
        }

        @Test
        void forgetsToRelease() {
            KEPT.put("forgets", forgottenHere());
        }

        private Tracked forgottenHere() {
            return Tracking.kind("example", "test resource").track(64, null);
        }
    }

    static final Map<String, TrackingLevel> LEVELS = new ConcurrentHashMap<>();
    static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);

    @WithTrackingLevel(TrackingLevel.FULL)
    static class LevelExamples {
        @Test
        void atTheClassLevel() throws InterruptedException {
            LEVELS.put("class", Tracking.level());
            awaitTheOther();
            LEVELS.put("class, the other test running", Tracking.level());
        }

        @Test
        @WithTrackingLevel(TrackingLevel.OFF)
        void atItsOwnLevel() throws InterruptedException {
            LEVELS.put("method", Tracking.level());
            awaitTheOther();
            LEVELS.put("method, the other test running", Tracking.level());
        }

        /** Both tests are inside their scopes at once (they run in parallel) before either looks again. */
        private static void awaitTheOther() throws InterruptedException {
            BOTH_RUNNING.countDown();
            assertTrue(BOTH_RUNNING.await(30, TimeUnit.SECONDS), "the two tests did not run in parallel");
        }
    }

    @LeakCheck
    @WithTrackingLevel(TrackingLevel.OFF)
    static class LeakCheckAtOff {
        @Test
        void forgetsToRelease() {
            KEPT.put("at-off", Tracking.kind("example", "test resource").track(32, null));
        }
    }

    @Test
    void testsRunInParallelAtTheLevelOfTheirMethodElseTheirClassAndLeaveNoLevelBehind() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LevelExamples.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .execute().testEvents();
        assertEquals(2, events.succeeded().count(), () -> events.failed().list().toString());
        assertEquals(Map.of("class", TrackingLevel.FULL, "class, the other test running", TrackingLevel.FULL,
                "method", TrackingLevel.OFF, "method, the other test running", TrackingLevel.OFF), LEVELS);
        assertEquals(Tracking.defaultLevel(), Tracking.level(), "the scopes closed with their tests");
    }

    @Test
    void aLeakCheckInsideAnOffLevelStillFindsTheLeak() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeakCheckAtOff.class)).execute()
                .testEvents();
        assertEquals(1, events.failed().count());
        Throwable t = events.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(t.getMessage().contains("32 bytes in 1 example allocated at:"), t.getMessage());
        KEPT.remove("at-off").close();
    }

    @ExtendWith(LeakproofExtension.class)
    static class SoakExamples {
        @Test
        // a cold JVM still compiles during a short warm-up; and a fixed 40,000-iteration run of FFM arena churn was
        // once left undecided by native noise on a loaded CI machine: the run extends itself until it decides
        @Soak(warmup = 5_000, samples = 20, maxDurationSeconds = 60)
        void clean(Soaker soaker) {
            soaker.assertNoLeak(SoakTarget.of(() -> {
                try (Arena a = Arena.ofConfined()) {
                    a.allocate(128);
                }
            }));
        }

        @Test
        @Soak(iterations = 20_000, samples = 16)
        void leaky(Soaker soaker) {
            soaker.assertNoLeak(SoakTarget.of(
                    () -> SOAK_KEPT.add(Tracking.kind("soak-example", "test resource").track(128, null))));
        }
    }

    @Test
    void aScopedTestThatLeavesAResourceUnreleasedFailsNamingTheSite() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ScopedExamples.class)).execute()
                .testEvents();
        assertEquals(1, events.succeeded().count());
        assertEquals(1, events.failed().count());
        Throwable t = events.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(t.getMessage().contains("64 bytes in 1 example allocated at:"), t.getMessage());
        assertTrue(t.getMessage().contains("ScopedExamples.forgottenHere"), t.getMessage());
        KEPT.values().forEach(Tracked::close);
    }

    @Test
    void aSoakedTestFailsOnALeakAndPassesOtherwise() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SoakExamples.class)).execute()
                .testEvents();
        assertEquals(1, events.succeeded().count(), () -> events.failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getPayload(
                        org.junit.platform.engine.TestExecutionResult.class).flatMap(
                        org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage)
                        .orElse("")).toList().toString());
        assertEquals(1, events.failed().count());
        Throwable t = events.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(t.getMessage().contains(Verdict.LEAK.name()), t.getMessage());
        assertTrue(t.getMessage().contains("SoakExamples.lambda$leaky"), t.getMessage());
        assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of("target/leakproof/SoakExamples.leaky.html")));
        SOAK_KEPT.forEach(Tracked::close);
    }
}
