package dev.leakproof.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.core.Tracked;
import dev.leakproof.core.Tracking;
import dev.leakproof.soak.SoakTarget;
import dev.leakproof.soak.Verdict;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    @ExtendWith(LeakproofExtension.class)
    static class SoakExamples {
        @Test
        // a cold JVM still compiles during a short warm-up: the same budget as the soak module's clean test
        @Soak(iterations = 40_000, warmup = 5_000, samples = 20)
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
