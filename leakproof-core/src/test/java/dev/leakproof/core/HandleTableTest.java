package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

@AtLevel(TrackingLevel.FULL)
class HandleTableTest {
    private final HandleTable table = HandleTable.create("callbacks");

    @Test
    void pinResolveRelease() {
        Object callback = new Object();
        Handle<Object> h = table.pin(callback);
        assertSame(callback, table.resolve(h.id()));
        assertSame(callback, h.get());
        assertEquals(1, table.size());
        h.release();
        assertTrue(h.isReleased());
        assertEquals(0, table.size());
    }

    @Test
    void releasingTwiceThrows() {
        Handle<String> h = table.pin("x");
        h.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::release);
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        assertThrows(IllegalStateException.class, h::get);
    }

    @Test
    void resolvingAReleasedIdThrowsAndNeverReturnsAnotherObject() {
        Handle<String> old = table.pin("old");
        long id = old.id();
        old.release();
        Handle<String> fresh = table.pin("fresh");
        assertNotEquals(id, fresh.id(), "ids are not reused");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> table.resolve(id));
        assertTrue(e.getMessage().contains("was released"), e.getMessage());
        fresh.release();
    }

    @Test
    void unknownForeignAndNullIdsThrow() {
        Handle<String> h = table.pin("x");
        assertTrue(assertThrows(IllegalStateException.class, () -> table.resolve(h.id() + 1000))
                .getMessage().contains("never issued"));
        assertTrue(assertThrows(IllegalStateException.class, () -> table.resolve(0))
                .getMessage().contains("not issued by handle table 'callbacks'"));
        HandleTable other = HandleTable.create("other");
        Handle<String> foreign = other.pin("y");
        assertTrue(assertThrows(IllegalStateException.class, () -> table.resolve(foreign.id()))
                .getMessage().contains("not issued by handle table 'callbacks'"));
        foreign.release();
        h.release();
    }

    @Test
    void resolvingWithTheWrongTypeThrows() {
        Handle<String> h = table.pin("text");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> table.resolve(h.id(), Integer.class));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        h.release();
    }

    @Test
    void aHandleNeverReleasedShowsInTheSnapshotWithItsSite() {
        Handle<String> h = pinAndForget();
        assertTrue(Tracking.snapshot().ofKind(HandleTable.HANDLE_KIND).stream()
                .anyMatch(c -> c.site().topFrame().contains("HandleTableTest.pinAndForget")),
                () -> Tracking.snapshot().toText());
        h.release();
        assertTrue(Tracking.snapshot().ofKind(HandleTable.HANDLE_KIND).stream()
                .noneMatch(c -> c.site().topFrame().contains("HandleTableTest.pinAndForget")));
    }

    private Handle<String> pinAndForget() {
        return table.pin("pinned");
    }

    @Test
    void aHandleDroppedUnreleasedIsReportedAndItsObjectStaysPinned() {
        long id = dropAHandle();
        Culprit c = GcLeaks.await(HandleTable.HANDLE_KIND, "dropAHandle").orElseThrow(
                () -> new AssertionError("dropped handle not reported:\n" + Tracking.leaked().toText()));
        assertTrue(c.site().topFrame().contains("HandleTableTest.dropAHandle"), c.site().topFrame());
        assertEquals("pinned forever", table.resolve(id), "like a Persistent never Reset, the object stays pinned");
    }

    private long dropAHandle() {
        return table.pin("pinned forever").id();
    }
}
