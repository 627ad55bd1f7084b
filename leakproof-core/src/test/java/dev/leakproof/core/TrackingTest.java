package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // scopes and clusters are closed early on purpose, then inspected
class TrackingTest {
    @Test
    void offRecordsNothingAndReturnsASharedToken() {
        try (var _ = Tracking.levelScope(TrackingLevel.OFF)) {
            Tracked a = Tracking.kind("off-kind", "test resource").track(10, new Object());
            Tracked b = Tracking.kind("off-kind", "test resource").track(10, new Object());
            assertTrue(a == b, "OFF allocates nothing per call");
            assertTrue(!Tracking.totals().containsKey("off-kind"));
        }
    }

    @Test
    void sampledRecordsAboutOneInNAndTheRestCostNothing() {
        try (var _ = Tracking.levelScope(TrackingLevel.SAMPLED, 10)) {
            assertEquals(10, Tracking.samplingInterval());
            List<Tracked> tokens = new java.util.ArrayList<>();
            Tracked noop = Tracking.kind("sampled-probe", "test resource").track(0, null);
            for (int i = 0; i < 1000; i++) {
                tokens.add(Tracking.kind("sampled-kind", "test resource").track(4, null));
            }
            long recorded = Tracking.snapshot().ofKind("sampled-kind").stream().mapToLong(Culprit::count).sum();
            assertTrue(recorded > 30 && recorded < 300, "about 1 in 10 recorded, got " + recorded);
            assertEquals(recorded, Tracking.totals().get("sampled-kind").liveCount(), "totals count the sampled ones");
            assertEquals(4 * recorded, Tracking.totals().get("sampled-kind").liveBytes());
            long shared = tokens.stream().filter(t -> t == dev.leakproof.core.internal.Tracker.NOOP).count();
            assertEquals(1000 - recorded, shared, "an unsampled creation gets the shared token, nothing allocated");
            tokens.forEach(Tracked::close);
            noop.close();
            assertEquals(0, Tracking.totals().get("sampled-kind").liveCount());
            assertEquals(0, Tracking.totals().get("sampled-kind").liveBytes());
        }
    }

    @Test
    void countedKeepsTotalsExactAndRecordsAboutOneInN() {
        try (var _ = Tracking.levelScope(TrackingLevel.COUNTED, 10)) {
            ResourceKind kind = Tracking.kind("counted-kind", "test resource");
            List<Tracked> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                tokens.add(kind.track(4, null));
            }
            long recorded = Tracking.snapshot().ofKind("counted-kind").stream().mapToLong(Culprit::count).sum();
            assertTrue(recorded > 30 && recorded < 300, "about 1 in 10 records its site, got " + recorded);
            assertEquals(1000, Tracking.totals().get("counted-kind").liveCount(), "every creation is counted");
            assertEquals(4000, Tracking.totals().get("counted-kind").liveBytes());
            assertTrue(tokens.stream().noneMatch(t -> t == dev.leakproof.core.internal.Tracker.NOOP),
                    "each creation has a token of its own");
            tokens.getFirst().resize(6);
            assertEquals(4006, Tracking.totals().get("counted-kind").liveBytes());
            tokens.forEach(Tracked::close);
            tokens.forEach(Tracked::close); // a second close counts nothing
            assertEquals(0, Tracking.totals().get("counted-kind").liveCount());
            assertEquals(0, Tracking.totals().get("counted-kind").liveBytes());
        }
    }

    @Test
    void atCountedAnOwnerThatDiesUnreleasedStaysCountedLive() {
        // no site recorded in a million: only the tokens count
        try (var _ = Tracking.levelScope(TrackingLevel.COUNTED, 1_000_000)) {
            ResourceKind kind = Tracking.kind("counted-dropped", "test resource");
            for (int i = 0; i < 100; i++) {
                kind.track(8, new Object());
            }
            Tracking.settle();
            KindTotals t = Tracking.totals().get("counted-dropped");
            assertEquals(100, t.liveCount() + t.leakedCount(), "a dropped resource is still seen as not given back");
            assertEquals(800, t.liveBytes() + t.leakedBytes());
        }
    }

    @Test
    void resizeMovesTheBytes() {
        try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
            Tracked t = Tracking.kind("resize-kind", "test resource").track(10, null);
            t.resize(30);
            assertEquals(40, Tracking.totals().get("resize-kind").liveBytes());
            t.close();
            t.close(); // idempotent
            assertEquals(0, Tracking.totals().get("resize-kind").liveBytes());
        }
    }

    @Test
    void aScopeReportsWhatItsCodeLeftLiveEvenWhenTrackingIsOff() {
        try (var _ = Tracking.levelScope(TrackingLevel.OFF)) {
            Tracked kept;
            try (LeakScope scope = Tracking.openScope("scoped")) {
                kept = leakInScope();
                Tracking.kind("scope-kind", "test resource").track(5, null).close();
                scope.close();
                LeakReport r = scope.leaks();
                assertEquals(1, r.totalCount(), r.toText());
                assertEquals(7, r.totalBytes());
                assertTrue(r.culprits().getFirst().site().topFrame().contains("TrackingTest.leakInScope"));
                assertTrue(r.toText().contains("7 bytes in 1 scope-kind allocated at:"), r.toText());
            }
            kept.close();
        }
    }

    private Tracked leakInScope() {
        return Tracking.kind("scope-kind", "test resource").track(7, null);
    }

    @Test
    void scopesOnParallelThreadsDoNotSeeEachOther() throws Exception {
        // both scopes are open, and have tracked, before either closes: each would see the other's if they leaked
        CyclicBarrier bothOpen = new CyclicBarrier(2);
        CompletableFuture<Long> a = new CompletableFuture<>();
        CompletableFuture<Long> b = new CompletableFuture<>();
        Thread ta = Thread.ofPlatform().start(() -> leakIn("a", 3, bothOpen, a));
        Thread tb = Thread.ofPlatform().start(() -> leakIn("b", 5, bothOpen, b));
        assertEquals(3, a.get(10, TimeUnit.SECONDS));
        assertEquals(5, b.get(10, TimeUnit.SECONDS));
        ta.join();
        tb.join();
    }

    /**
     * Two threads opening the first scopes at once: the one whose open was not the first must not create before
     * the gate knows a scope is open, or its creations skip its scope (seen once as "expected 3, got 0" above).
     * Thread A's open is held, by a latch, after it is counted and before it sets the gate; B opens and tracks then.
     */
    @Test
    void aScopeOpenedWhileTheFirstOneIsStillOpeningRecordsItsCreations() throws Exception {
        CountDownLatch aCounted = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        dev.leakproof.core.internal.Scope.onNextFirstOpen(() -> {
            aCounted.countDown();
            try {
                bDone.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread a = Thread.ofPlatform().start(() -> {
            try (LeakScope scope = Tracking.openScope("first")) {
                scope.leaks();
            }
        });
        assertTrue(aCounted.await(10, TimeUnit.SECONDS), "thread A did not open the first scope");
        long recorded;
        List<Tracked> tokens = new java.util.ArrayList<>();
        try (LeakScope scope = Tracking.openScope("second")) {
            for (int i = 0; i < 3; i++) {
                tokens.add(Tracking.kind("race-kind", "test resource").track(1, null));
            }
            scope.close();
            recorded = scope.leaks().totalCount();
        } finally {
            bDone.countDown();
            tokens.forEach(Tracked::close);
            a.join();
        }
        assertEquals(3, recorded, "creations in an open scope that the scope did not record");
    }

    private static void leakIn(String name, int n, CyclicBarrier bothOpen, CompletableFuture<Long> leaks) {
        List<Tracked> tokens = new java.util.ArrayList<>();
        try (LeakScope scope = Tracking.openScope(name)) {
            for (int i = 0; i < n; i++) {
                tokens.add(Tracking.kind("parallel-kind", "test resource").track(1, null));
            }
            bothOpen.await(10, TimeUnit.SECONDS);
            scope.close();
            leaks.complete(scope.leaks().totalCount());
        } catch (Exception | AssertionError e) {
            leaks.completeExceptionally(e);
        } finally {
            tokens.forEach(Tracked::close);
        }
    }

    private static Tracked siteA() {
        return Tracking.kind("collide-kind", "test resource").track(1, null);
    }

    private static Tracked siteB() {
        return Tracking.kind("collide-kind", "test resource").track(1, null);
    }

    @Test
    void methodsOfOneClassWithTheSameBytecodeIndexAreDifferentSites() {
        try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
            Tracked a = siteA();
            Tracked b = siteB();
            List<Culprit> sites = Tracking.snapshot().ofKind("collide-kind");
            assertEquals(2, sites.size(), Tracking.snapshot().toText());
            assertTrue(sites.stream().anyMatch(c -> c.site().topFrame().contains("TrackingTest.siteA")));
            assertTrue(sites.stream().anyMatch(c -> c.site().topFrame().contains("TrackingTest.siteB")));
            a.close();
            b.close();
        }
    }

    @Test
    void closingAnOuterScopeFirstIsRejected() {
        LeakScope outer = Tracking.openScope("outer");
        LeakScope inner = Tracking.openScope("inner");
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }

    @Test
    void reportsHaveJson() {
        try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
            Tracked t = Tracking.kind("json-kind", "test resource").track(12, null);
            String json = new LeakReport("test", Tracking.snapshot().ofKind("json-kind")).toJson();
            assertTrue(json.contains("\"kind\": \"json-kind\""), json);
            assertTrue(json.contains("\"bytes\": 12"), json);
            assertTrue(json.contains("TrackingTest.reportsHaveJson"), json);
            t.close();
        }
    }

    @Test
    void leaksFoundByGcAreJfrEventsAndListenerCalls(@TempDir Path dir) throws Exception {
        try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
            CompletableFuture<Culprit> heard = new CompletableFuture<>();
            LeakListener listener = c -> {
                if (c.kind().equals("jfr-kind")) {
                    heard.complete(c);
                }
            };
            Tracking.addLeakListener(listener);
            Path file = dir.resolve("leaks.jfr");
            CountDownLatch periodic = new CountDownLatch(1);
            try (Recording rec = new Recording(); RecordingStream stream = new RecordingStream()) {
                rec.enable("dev.leakproof.LeakDetected");
                rec.enable("dev.leakproof.LiveResources").withPeriod(Duration.ofMillis(100));
                // the stream says when a periodic event has been emitted, into the recording as well
                stream.enable("dev.leakproof.LiveResources").withPeriod(Duration.ofMillis(100));
                stream.onEvent("dev.leakproof.LiveResources", e -> periodic.countDown());
                stream.startAsync();
                rec.start();
                dropOwner();
                assertTrue(GcLeaks.await("jfr-kind", "dropOwner").isPresent());
                assertTrue(periodic.await(10, TimeUnit.SECONDS), "no periodic LiveResources event");
                rec.stop();
                rec.dump(file);
            } finally {
                Tracking.removeLeakListener(listener);
            }
            assertEquals(21, heard.get().bytes());
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.leakproof.LeakDetected")
                    && "jfr-kind".equals(e.getString("kind")) && e.getString("site").contains("dropOwner")
                    && e.getLong("bytes") == 21), events::toString);
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.leakproof.LiveResources")));
            assertTrue(Files.size(file) > 0);
        }
    }

    private void dropOwner() {
        Tracking.kind("jfr-kind", "test resource").track(21, new Object());
    }
}
