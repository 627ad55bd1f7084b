package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.core.internal.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Levels as scopes: per thread, nested, carried into queue work, never the process's default. */
class LevelScopeTest {
    private static final ResourceKind AT_FULL = Tracking.kind("level-scope-full", "created inside a FULL scope");
    private static final ResourceKind AT_OFF = Tracking.kind("level-scope-off", "created inside an OFF scope");
    private static final ResourceKind NESTED = Tracking.kind("level-scope-nested", "created in nested scopes");
    private static final ResourceKind QUEUED = Tracking.kind("level-scope-queued", "created in queue work");

    @Test
    void aScopeSetsTheLevelOfItsThreadAndScopesNestInnermostFirst() {
        TrackingLevel around = Tracking.level();
        long live = NESTED.totals().liveCount();
        try (LevelScope full = Tracking.levelScope(TrackingLevel.FULL)) {
            assertEquals(TrackingLevel.FULL, full.level());
            assertEquals(TrackingLevel.FULL, Tracking.level());
            Tracked recorded = NESTED.track(8, null);
            try (var _ = Tracking.levelScope(TrackingLevel.OFF)) {
                assertEquals(TrackingLevel.OFF, Tracking.level());
                assertSame(Tracker.NOOP, NESTED.track(8, null), "the innermost scope's OFF wins");
            }
            assertEquals(TrackingLevel.FULL, Tracking.level(), "closing the inner scope gives the outer level back");
            assertEquals(live + 1, NESTED.totals().liveCount());
            recorded.close();
        }
        assertEquals(around, Tracking.level());
        assertEquals(Tracking.defaultLevel(), Tracking.level(), "no scope open: the process default");
    }

    @Test
    void aScopeMaySetItsOwnSamplingIntervalWhichNestedScopesKeep() {
        int processes = Tracking.samplingInterval();
        try (var _ = Tracking.levelScope(TrackingLevel.SAMPLED, 3)) {
            assertEquals(3, Tracking.samplingInterval());
            try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
                assertEquals(3, Tracking.samplingInterval(), "a scope without an interval keeps the one around it");
            }
            try (var _ = Tracking.openScope("leaks")) {
                assertEquals(3, Tracking.samplingInterval());
            }
        }
        assertEquals(processes, Tracking.samplingInterval());
        assertThrows(IllegalArgumentException.class, () -> Tracking.levelScope(TrackingLevel.SAMPLED, 0));
        assertEquals(processes, Tracking.samplingInterval(), "a rejected scope opened nothing");
    }

    @Test
    void closingAnOuterScopeFirstOrOnAnotherThreadIsRejected() throws Exception {
        LevelScope outer = Tracking.levelScope(TrackingLevel.FULL);
        LevelScope inner = Tracking.levelScope(TrackingLevel.OFF);
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("close the scopes opened inside it first"), e.getMessage());
        CompletableFuture<Throwable> elsewhere = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                inner.close();
                elsewhere.complete(null);
            } catch (Throwable x) {
                elsewhere.complete(x);
            }
        });
        t.join();
        assertTrue(elsewhere.get() instanceof WrongThreadException, String.valueOf(elsewhere.get()));
        inner.close();
        outer.close();
        outer.close(); // a second close does nothing
        assertEquals(Tracking.defaultLevel(), Tracking.level());
    }

    @Test
    void scopesOpenAtOnceOnTwoThreadsEachKeepTheirOwnLevel() throws Exception {
        long fullBefore = AT_FULL.totals().liveCount();
        long offBefore = AT_OFF.totals().liveCount();
        CountDownLatch bothOpen = new CountDownLatch(2);
        CountDownLatch checked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Tracked>> full = pool.submit(() -> inScope(TrackingLevel.FULL, AT_FULL, bothOpen, checked));
            Future<List<Tracked>> off = pool.submit(() -> inScope(TrackingLevel.OFF, AT_OFF, bothOpen, checked));
            assertTrue(bothOpen.await(30, TimeUnit.SECONDS), "the two scopes did not open");
            // both scopes are open and have created their resources: neither changed this thread's level
            assertEquals(Tracking.defaultLevel(), Tracking.level());
            checked.countDown();
            List<Tracked> fullTokens = full.get(30, TimeUnit.SECONDS);
            List<Tracked> offTokens = off.get(30, TimeUnit.SECONDS);
            assertEquals(fullBefore + 100, AT_FULL.totals().liveCount(), "every creation in the FULL scope recorded");
            assertEquals(offBefore, AT_OFF.totals().liveCount(), "nothing in the OFF scope recorded");
            assertTrue(offTokens.stream().allMatch(t -> t == Tracker.NOOP));
            fullTokens.forEach(Tracked::close);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Opens a scope, creates 100 resources while the other thread's scope is open too, closes. */
    private static List<Tracked> inScope(TrackingLevel level, ResourceKind kind, CountDownLatch bothOpen,
                                         CountDownLatch checked) throws InterruptedException {
        List<Tracked> tokens = new ArrayList<>();
        try (var _ = Tracking.levelScope(level)) {
            for (int i = 0; i < 100; i++) {
                tokens.add(kind.track(4, null));
            }
            assertEquals(level, Tracking.level());
            bothOpen.countDown();
            // stay open until the other thread's scope has opened and created too, and the test has looked
            assertTrue(checked.await(30, TimeUnit.SECONDS));
            assertEquals(level, Tracking.level(), "the other thread's scope did not change this one's level");
        }
        return tokens;
    }

    @Test
    void workSubmittedToAQueueRunsAtTheLevelOfTheScopeThatSubmittedIt() throws Exception {
        try (WorkQueue queue = WorkQueue.create(WorkQueueOptions.named("level-scope").withWorkers(1))) {
            long live = QUEUED.totals().liveCount();
            Tracked inWork;
            try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
                inWork = queue.call(item -> {
                    assertEquals(TrackingLevel.FULL, Tracking.level());
                    return QUEUED.track(16, null);
                }).get(30, TimeUnit.SECONDS);
            }
            assertEquals(live + 1, QUEUED.totals().liveCount(), "the worker recorded at the submitter's FULL");
            inWork.close();
            TrackingLevel onWorker = queue.call(item -> Tracking.level()).get(30, TimeUnit.SECONDS);
            assertEquals(Tracking.defaultLevel(), onWorker, "work submitted outside the scope: the default again");
        }
    }

    @Test
    void aThreadStartedInsideAScopeDoesNotInheritIt() throws Exception {
        CompletableFuture<TrackingLevel> onThread = new CompletableFuture<>();
        try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
            Thread.ofPlatform().start(() -> onThread.complete(Tracking.level())).join();
        }
        // a pooled thread started here would otherwise keep FULL after the scope closed
        assertEquals(Tracking.defaultLevel(), onThread.get());
    }

    @Test
    void aLeakScopeInsideAnOffLevelScopeStillRecordsEverything() {
        try (var _ = Tracking.levelScope(TrackingLevel.OFF); LeakScope leaks = Tracking.openScope("in off")) {
            Tracked t = NESTED.track(3, null);
            assertEquals(1, leaks.leaks().totalCount(), leaks.leaks().toText());
            t.close();
            assertTrue(leaks.leaks().isEmpty());
        }
    }
}
