package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for the defects of issue 12, each named for its bug. */
class ClusterRegressionTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    /**
     * Blocks the cluster's completion thread in an async operation's callback until {@code release} opens.
     * Callbacks registered on an incomplete future run on the thread that completes it; one registered on a
     * completed future runs on the caller, so this tries until the callback ran on the completion thread.
     */
    static void blockCompletionThread(Cluster c, CountDownLatch release) throws Exception {
        while (true) {
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            c.blob("any").getAsync().whenComplete((v, e) -> {
                String name = Thread.currentThread().getName();
                ranOn.complete(name);
                if (name.endsWith("-completion")) {
                    try {
                        release.await();
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            if (ranOn.get(30, TimeUnit.SECONDS).endsWith("-completion")) {
                return;
            }
        }
    }

    @Test
    void loneSurrogatesInNamesAreRejectedNotFoldedToQuestionMark() {
        try (Cluster c = Cluster.open(dir)) {
            IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> c.blob("key\uD800"));
            assertEquals("alias is malformed UTF-16: a lone high surrogate U+D800 at index 3 (it has no UTF-8 form); "
                    + "names must be well-formed Unicode", high.getMessage());
            IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> c.set("key\uDC00"));
            assertTrue(low.getMessage().contains("lone low surrogate U+DC00 at index 3"), low.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.blob("\uDE00\uD83D")).getMessage()
                    .contains("index 0"), "a pair in the wrong order is two lone surrogates");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.tag("t\uD800")).getMessage()
                    .startsWith("tag is malformed UTF-16"));
            c.blob("key?").put(b("question mark"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.blob("key?").attachTag("x\uDBFF"))
                    .getMessage().contains("U+DBFF"));
            assertThrows(IllegalArgumentException.class, () -> c.blob("key?").hasTagAsync("\uDFFF"));
            // a well-formed pair is one code point, four UTF-8 bytes, and its own entry
            String emoji = "key\uD83D\uDE00";
            assertThrows(AliasNotFoundException.class, () -> c.blob(emoji).get());
            c.blob(emoji).put(b("emoji"));
            c.blob(emoji).attachTag("t");
            c.blob("key?").attachTag("t");
            assertArrayEquals(b("question mark"), c.blob("key?").get());
            assertEquals(List.of("key?", emoji), c.tag("t").getEntries(), "only names somebody wrote");
            assertThrows(IllegalArgumentException.class, () -> c.blob("\uD83D\uDE00".repeat(256) + "x"),
                    "1,025 UTF-8 bytes counted with the pairs as four bytes each");
            c.blob("\uD83D\uDE00".repeat(256)).put(b("exactly 1,024 bytes"));
        }
    }

    @Test
    void closeCalledOnTheCompletionThreadDoesNotWaitForItself() throws Exception {
        try (LogCapture log = LogCapture.warnings("dev.leakproof")) {
            Cluster c = Cluster.open(dir, ClusterOptions.defaults().withWorkerThreads(2)
                    .withOperationTimeout(Duration.ofSeconds(60)));
            c.blob("k").put(b("v"));
            CountDownLatch release = new CountDownLatch(1);
            blockCompletionThread(c, release);
            List<CompletableFuture<byte[]>> behind = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                behind.add(c.blob("k").getAsync());
            }
            // registered while the completion thread is blocked: close runs on the completion thread
            CompletableFuture<String> closedOn = c.blob("k").getAsync()
                    .thenApply(v -> {
                        c.close();
                        return Thread.currentThread().getName();
                    });
            release.countDown();
            // without the fix, close waited the whole 60 s operation timeout for its own operation
            assertTrue(closedOn.get(30, TimeUnit.SECONDS).endsWith("-completion"));
            assertTrue(c.isClosed());
            for (CompletableFuture<byte[]> f : behind) {
                assertTrue(f.isDone(), "close ran the callbacks queued behind it");
                if (f.isCompletedExceptionally()) {
                    assertInstanceOf(ClusterClosedException.class, failure(f));
                } else {
                    assertArrayEquals(b("v"), f.join());
                }
            }
            assertEquals(List.of(), log.containing("still in flight"));
            assertEquals(List.of(), log.containing("never submitted"));
            try (Cluster again = Cluster.open(dir)) {
                assertArrayEquals(b("v"), again.blob("k").get(), "the database was closed, its lock released");
            }
        }
    }

    @Test
    void anInterruptWhileWaitingForAnAsyncSlotIsAnInterruptNotATimeout() throws Exception {
        try (Cluster c = Cluster.open(dir, ClusterOptions.defaults().withWorkerThreads(1).withMaxPendingOperations(1))) {
            CountDownLatch release = new CountDownLatch(1);
            // the blocked callback's operation holds the only slot until its callback returns
            blockCompletionThread(c, release);
            Thread.currentThread().interrupt();
            CompletableFuture<byte[]> f = c.blob("k").getAsync();
            assertTrue(Thread.interrupted(), "the interrupt flag is still set after the call");
            release.countDown();
            KvInterruptedException e = assertInstanceOf(KvInterruptedException.class, failure(f));
            assertEquals(104, e.code());
            assertEquals(KvError.INTERRUPTED, e.error());
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertTrue(e.getMessage().contains("interrupted while waiting for an async slot"), e.getMessage());
        }
    }

    @Test
    void expiryArithmeticSaturatesInsteadOfOverflowing() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Cluster c = Cluster.open(dir, ClusterOptions.defaults().withClock(clock))) {
            Instant latest = Instant.ofEpochMilli(Long.MAX_VALUE);
            BlobEntry blob = c.blob("b");
            blob.put(b("v"));
            blob.expiresFromNow(Duration.ofSeconds(Long.MAX_VALUE));
            assertEquals(Optional.of(latest), blob.getExpiry());
            blob.expiresFromNowAsync(Duration.ofMillis(Long.MAX_VALUE)).get(30, TimeUnit.SECONDS);
            assertEquals(Optional.of(latest), blob.getExpiry(), "now + Long.MAX_VALUE ms saturates");
            blob.expiresAt(Instant.MAX);
            assertEquals(Optional.of(latest), blob.getExpiry());
            c.integer("n").put(1, Expiry.at(Instant.MAX));
            assertEquals(Optional.of(latest), c.integer("n").getExpiry());
            assertEquals(Expiry.at(latest), Expiry.at(Instant.MAX));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expiry.at(Instant.MIN));
            assertTrue(e.getMessage().contains("after the epoch"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> blob.expiresAt(Instant.MIN));
            assertThrows(IllegalArgumentException.class, () -> blob.expiresAtAsync(Instant.EPOCH));

            blob.expiresFromNow(Duration.ofSeconds(Long.MIN_VALUE));
            assertThrows(AliasNotFoundException.class, blob::get, "a hugely negative delay expires the entry at once");
        }
    }

    @Test
    void expiryFollowsTheInjectedClock() {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Cluster c = Cluster.open(dir, ClusterOptions.defaults().withClock(clock))) {
            BlobEntry soon = c.blob("soon");
            soon.put(b("v"));
            soon.attachTag("t");
            soon.expiresFromNow(Duration.ofMillis(150));
            assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00.150Z")), soon.getExpiry());
            clock.advance(Duration.ofMillis(149));
            assertArrayEquals(b("v"), soon.get());
            assertEquals(List.of("soon"), c.tag("t").getEntries());
            clock.advance(Duration.ofMillis(1));
            assertThrows(AliasNotFoundException.class, soon::get);
            assertEquals(List.of(), c.tag("t").getEntries());
            soon.put(b("back"));
            assertEquals(List.of(), soon.getTags(), "purging removed the tag links");
        }
    }

    @Test
    void closeRacingAsyncCallsNeverReportsAnItemReleasedInTheSameCall() throws Exception {
        try (LogCapture log = LogCapture.warnings("dev.leakproof")) {
            for (int round = 0; round < 20 && log.containing("never submitted").isEmpty(); round++) {
                Cluster c = Cluster.open(dir.resolve("r" + round), ClusterOptions.defaults().withWorkerThreads(1));
                CountDownLatch calling = new CountDownLatch(1);
                Thread caller = Thread.ofPlatform().start(() -> {
                    calling.countDown();
                    while (true) {
                        CompletableFuture<byte[]> f = c.blob("k").getAsync();
                        if (f.isCompletedExceptionally() && f.exceptionNow() instanceof ClusterClosedException) {
                            return;
                        }
                    }
                });
                calling.await();
                c.close();
                caller.join();
            }
            assertEquals(List.of(), log.containing("never submitted"));
        }
    }

    @Test
    void aTypeMismatchSaysAnInteger() {
        try (Cluster c = Cluster.open(dir)) {
            c.integer("n").put(1);
            assertEquals("alias 'n' holds an integer, not a blob",
                    assertThrows(IncompatibleTypeException.class, () -> c.blob("n").get()).getMessage());
            assertEquals("alias 'n' already exists (an integer): use update to replace it",
                    assertThrows(AliasAlreadyExistsException.class, () -> c.blob("n").put(b("x"))).getMessage());
            c.blob("b").put(b("x"));
            assertEquals("alias 'b' holds a blob, not an integer",
                    assertThrows(IncompatibleTypeException.class, () -> c.integer("b").add(1)).getMessage());
        }
    }

    @Test
    void aDatabaseOpenInThisProcessIsInUse() {
        try (Cluster first = Cluster.open(dir)) {
            DatabaseInUseException e = assertThrows(DatabaseInUseException.class, () -> Cluster.open(dir));
            assertEquals(KvError.IN_USE, e.error());
            assertEquals(103, e.code());
            assertTrue(e.getMessage().contains("is in use"), e.getMessage());
            first.blob("still").put(b("works"));
        }
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsInUseNotANativeError() throws Exception {
        Cluster.open(dir).close(); // creates the LOCK file
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes = Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process holder = new ProcessBuilder(java, "-cp", classes, LockHolder.class.getName(),
                dir.resolve("LOCK").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8));
            assertEquals("locked true", out.readLine());
            DatabaseInUseException e = assertThrows(DatabaseInUseException.class, () -> Cluster.open(dir));
            assertEquals(103, e.code());
            assertTrue(e.getMessage().contains("Resource temporarily unavailable")
                    || e.getMessage().contains("Permission denied"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (Cluster c = Cluster.open(dir)) {
            c.blob("after").put(b("the other process let go"));
        }
    }
}
