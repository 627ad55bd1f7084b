package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aCheckpointOpensAsADatabaseWithTheDataAtItsTimeAndNotLaterWrites() {
        Path copy = dir.resolve("copy");
        try (Cluster c = Cluster.open(dir.resolve("db"))) {
            c.blob("b").put(b("before"));
            c.integer("n").put(40);
            c.integer("n").add(2);
            c.deque("q").pushBack(b("x"));
            c.set("s").insert(b("e"));
            c.blob("b").attachTag("t");
            c.checkpoint(copy);
            c.blob("b").update(b("after"));
            c.blob("later").put(b("later"));
            c.integer("n").add(1);
            assertEquals(43, c.integer("n").get(), "the live database goes on");
        }
        assertTrue(Files.isDirectory(copy));
        try (Cluster copied = Cluster.open(copy)) {
            assertArrayEquals(b("before"), copied.blob("b").get());
            assertEquals(42, copied.integer("n").get());
            assertEquals(List.of("x"), copied.deque("q").elements().stream().map(e -> new String(e, UTF_8)).toList());
            assertTrue(copied.set("s").contains(b("e")));
            assertEquals(List.of("b"), copied.tag("t").getEntries());
            assertFalse(copied.exists("later"));
        }
    }

    @Test
    void theAsyncFormMakesTheSameCheckpoint() throws Exception {
        Path copy = dir.resolve("copy");
        try (Cluster c = Cluster.open(dir.resolve("db"))) {
            c.blob("b").put(b("v"));
            c.checkpointAsync(copy).get(30, TimeUnit.SECONDS);
        }
        try (Cluster copied = Cluster.open(copy)) {
            assertArrayEquals(b("v"), copied.blob("b").get());
        }
    }

    @Test
    void anExistingTargetIsATypedErrorAndIsLeftAlone() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path file = Files.writeString(dir.resolve("file"), "keep me");
        try (Cluster c = Cluster.open(dir.resolve("db"))) {
            c.blob("b").put(b("v"));
            TargetExistsException e = assertThrows(TargetExistsException.class, () -> c.checkpoint(empty));
            assertEquals(110, e.code());
            assertEquals(KvError.TARGET_EXISTS, e.error());
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertThrows(TargetExistsException.class, () -> c.checkpoint(file));
            assertThrows(TargetExistsException.class, () -> c.checkpointAsync(file),
                    "argument errors are thrown before anything runs, async too");
        }
        assertEquals("keep me", Files.readString(file));
        try (var listing = Files.list(empty)) {
            assertEquals(0, listing.count());
        }
    }

    @Test
    void aParentThatIsAFileOrMissingOrATargetInsideTheDatabaseIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        try (Cluster c = Cluster.open(dir.resolve("db"))) {
            IllegalArgumentException notDir = assertThrows(IllegalArgumentException.class,
                    () -> c.checkpoint(file.resolve("copy")));
            assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> c.checkpoint(dir.resolve("no").resolve("copy")));
            assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
            IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                    () -> c.checkpoint(dir.resolve("db").resolve("copy")));
            assertTrue(inside.getMessage().contains("inside the database directory"), inside.getMessage());
            assertThrows(NullPointerException.class, () -> c.checkpoint(null));
        }
    }

    @Test
    void aCheckpointOfAClosedClusterFailsClosed() throws Exception {
        Cluster c = Cluster.open(dir.resolve("db"));
        c.close();
        assertThrows(ClusterClosedException.class, () -> c.checkpoint(dir.resolve("copy")));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.checkpointAsync(dir.resolve("copy")).get(30, TimeUnit.SECONDS));
        assertInstanceOf(ClusterClosedException.class, e.getCause());
        assertFalse(Files.exists(dir.resolve("copy")));
    }
}
