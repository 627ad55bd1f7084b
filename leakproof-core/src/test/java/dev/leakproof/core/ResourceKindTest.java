package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceKindTest {
    private static final ResourceKind BUFFER = Tracking.kind("kind-test-buffer", "a buffer the test allocates");

    @Test
    void aNameRegisteredAgainWithItsDescriptionIsTheSameKind() {
        assertSame(BUFFER, Tracking.kind("kind-test-buffer", "a buffer the test allocates"));
        assertEquals("kind-test-buffer", BUFFER.name());
        assertEquals("a buffer the test allocates", BUFFER.description());
        assertEquals("kind-test-buffer", BUFFER.toString());
    }

    @Test
    void aNameRegisteredAgainWithAnotherDescriptionFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tracking.kind("kind-test-buffer", "something else"));
        assertTrue(e.getMessage().contains("a buffer the test allocates") && e.getMessage().contains("something else"),
                e.getMessage());
    }

    @Test
    void blankNamesAndDescriptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tracking.kind(" ", "a description"));
        assertThrows(IllegalArgumentException.class, () -> Tracking.kind("kind-test-blank", ""));
        assertThrows(NullPointerException.class, () -> Tracking.kind(null, "a description"));
        assertThrows(NullPointerException.class, () -> Tracking.kind("kind-test-null", null));
    }

    @Test
    void aKindCountsItsOwnResourcesAndReportsNameThem() {
        try (var _ = Tracking.levelScope(TrackingLevel.FULL)) {
            KindTotals start = BUFFER.totals();
            Tracked t = BUFFER.track(48, null);
            assertEquals(start.liveCount() + 1, BUFFER.totals().liveCount());
            assertEquals(start.liveBytes() + 48, BUFFER.totals().liveBytes());
            assertEquals(BUFFER.totals(), Tracking.totals().get("kind-test-buffer"));
            assertEquals(1, Tracking.snapshot().ofKind(BUFFER).size(), Tracking.snapshot().toText());
            assertTrue(Tracking.snapshot().toJson().contains("\"kind\": \"kind-test-buffer\""));
            t.close();
            assertEquals(start.liveCount(), BUFFER.totals().liveCount());
        }
    }
}
