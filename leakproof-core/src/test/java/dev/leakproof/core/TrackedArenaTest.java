package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@AtLevel(TrackingLevel.FULL)
class TrackedArenaTest {
    @Test
    void allocationsAreLiveWithTheirSiteUntilClose() {
        Arena arena = TrackedArena.ofConfined();
        allocateSome(arena);
        List<Culprit> live = mine("allocateSome");
        assertEquals(1, live.size(), Tracking.snapshot().toText());
        assertEquals(3, live.getFirst().count());
        assertEquals(3 * 64, live.getFirst().bytes());
        arena.close();
        assertTrue(mine("allocateSome").isEmpty());
    }

    private void allocateSome(Arena arena) {
        for (int i = 0; i < 3; i++) {
            arena.allocate(64);
        }
    }

    private static List<Culprit> mine(String method) {
        return Tracking.snapshot().ofKind(TrackedArena.MEMORY_KIND).stream()
                .filter(c -> c.site().topFrame().contains("TrackedArenaTest." + method)).toList();
    }

    @Test
    void allocationsThroughTheJdksDefaultMethodsAreSitedAtTheCallersLines() {
        // allocateFrom(String) passes through more of SegmentAllocator's default methods than allocate(long):
        // the key walk's batch must grow to reach the caller, and each line must stay its own site
        try (Arena arena = TrackedArena.ofConfined()) {
            for (int i = 0; i < 3; i++) {
                arena.allocate(8);
                arena.allocateFrom("a string, encoded by the JDK");
                arena.allocate(ValueLayout.JAVA_LONG);
            }
            List<Culprit> sites = mine("allocationsThroughTheJdksDefaultMethodsAreSitedAtTheCallersLines");
            assertEquals(3, sites.size(), Tracking.snapshot().toText());
            sites.forEach(c -> assertEquals(3, c.count(), c.site().topFrame()));
            assertEquals(3, sites.stream().map(c -> c.site().topFrame()).distinct().count());
        }
    }

    @Test
    void aSegmentUsedAfterCloseThrowsInsteadOfCrashing() {
        Arena arena = TrackedArena.ofShared();
        MemorySegment s = arena.allocate(ValueLayout.JAVA_LONG);
        s.set(ValueLayout.JAVA_LONG, 0, 7);
        arena.close();
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void closingTwiceThrowsLikeAnArena() {
        Arena arena = TrackedArena.ofConfined();
        arena.close();
        assertThrows(IllegalStateException.class, arena::close);
    }

    @Test
    void aConfinedArenaClosedFromAnotherThreadThrows() throws Exception {
        Arena arena = TrackedArena.ofConfined();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                arena.close();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }).join();
        assertTrue(thrown.get() instanceof WrongThreadException, String.valueOf(thrown.get()));
        arena.close();
    }

    @Test
    void anArenaDroppedUnclosedIsReportedWithItsSite() {
        dropAnArena();
        Culprit c = GcLeaks.await(TrackedArena.MEMORY_KIND, "dropAnArena").orElseThrow(
                () -> new AssertionError("dropped arena not reported:\n" + Tracking.leaked().toText()));
        assertTrue(c.site().topFrame().contains("TrackedArenaTest.dropAnArena"), c.site().topFrame());
        assertEquals(100, c.bytes() / c.count());
    }

    private void dropAnArena() {
        TrackedArena.ofShared().allocate(100);
    }

    @Test
    void atSampledWholeArenasAreSampledWithAllTheirAllocations() {
        try (var _ = Tracking.levelScope(TrackingLevel.SAMPLED, 4)) {
            List<Arena> arenas = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Arena a = TrackedArena.ofConfined();
                allocateSome(a);
                arenas.add(a);
            }
            long tracked = arenas.stream().filter(a -> ((TrackedArena) a).isTracked()).count();
            assertTrue(tracked > 50 && tracked < 160, "about 1 in 4 arenas tracked, got " + tracked);
            List<Culprit> live = mine("allocateSome");
            assertEquals(3 * tracked, live.stream().mapToLong(Culprit::count).sum(), "every allocation of a tracked arena");
            arenas.forEach(Arena::close);
            assertTrue(mine("allocateSome").isEmpty());
        }
    }

    @Test
    void atOffNothingIsRecorded() {
        try (var _ = Tracking.levelScope(TrackingLevel.OFF)) {
            try (Arena arena = TrackedArena.ofConfined()) {
                assertFalse(arena instanceof TrackedArena, "at OFF the factory returns the JDK's own arena");
                allocateSome(arena);
                assertTrue(mine("allocateSome").isEmpty());
            }
        }
    }
}
