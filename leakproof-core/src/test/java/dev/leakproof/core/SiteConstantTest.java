package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Site constants: made once per call site with {@code Site.here()}, passed at creation, no stack walked. */
@AtLevel(TrackingLevel.FULL)
class SiteConstantTest {
    private static final ResourceKind HANDLE = Tracking.kind("site-constant-handle", "a handle the test makes");
    private static final Site OPEN_HANDLE = Site.here();
    private static final Site READ_BUFFER = Site.here();

    @Test
    void aSiteConstantIsTheLineThatMadeIt() {
        assertEquals(1, OPEN_HANDLE.frames().size());
        assertTrue(OPEN_HANDLE.topFrame().startsWith("dev.leakproof.core.SiteConstantTest.<clinit>(SiteConstantTest.java:"),
                OPEN_HANDLE.topFrame());
        assertTrue(!OPEN_HANDLE.equals(READ_BUFFER), "two declarations, two lines: " + OPEN_HANDLE + " " + READ_BUFFER);
        Site inMethod = Site.here();
        assertTrue(inMethod.topFrame().contains("SiteConstantTest.aSiteConstantIsTheLineThatMadeIt"), inMethod.topFrame());
    }

    @Test
    void aResourceTrackedWithASiteConstantIsReportedAtIt() {
        Tracked a = HANDLE.track(10, null, OPEN_HANDLE);
        Tracked b = openFromElsewhere();
        List<Culprit> live = Tracking.snapshot().ofKind(HANDLE);
        assertEquals(1, live.size(), "both creations passed the one constant: " + live);
        assertSame(OPEN_HANDLE, live.getFirst().site());
        assertEquals(2, live.getFirst().count());
        a.close();
        b.close();
        assertTrue(Tracking.snapshot().ofKind(HANDLE).isEmpty());
    }

    private static Tracked openFromElsewhere() {
        return HANDLE.track(10, null, OPEN_HANDLE);
    }

    @Test
    void anArenaMadeWithASiteConstantRecordsEachAllocationAtIt() {
        try (Arena arena = TrackedArena.ofConfined(READ_BUFFER)) {
            arena.allocate(16);
            arena.allocate(32);
            List<Culprit> live = Tracking.snapshot().ofKind(TrackedArena.MEMORY_KIND).stream()
                    .filter(c -> c.site() == READ_BUFFER).toList();
            assertEquals(1, live.size(), Tracking.snapshot().toText());
            assertEquals(2, live.getFirst().count());
            assertEquals(48, live.getFirst().bytes());
        }
        assertTrue(Tracking.snapshot().ofKind(TrackedArena.MEMORY_KIND).stream().noneMatch(c -> c.site() == READ_BUFFER));
    }

    @Test
    @SuppressWarnings("try") // the scope is closed early on purpose, then inspected
    void aSiteConstantInsideALeakScopeNamesTheLeak() {
        Tracked kept;
        try (LeakScope scope = Tracking.openScope("site constant")) {
            kept = HANDLE.track(7, null, OPEN_HANDLE);
            scope.close();
            assertSame(OPEN_HANDLE, scope.leaks().culprits().getFirst().site());
        }
        kept.close();
    }

    @Test
    void aNullSiteIsRejected() {
        assertThrows(NullPointerException.class, () -> HANDLE.track(1, null, null));
        assertThrows(NullPointerException.class, () -> TrackedArena.ofConfined(null));
        assertThrows(NullPointerException.class, () -> TrackedArena.ofShared(null));
    }
}
