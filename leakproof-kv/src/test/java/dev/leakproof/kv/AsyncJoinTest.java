package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread blocked in {@code join()}/{@code get()} on an async operation's future takes the completion from the
 * worker and completes the future itself (two hand-offs instead of three): what runs where, close from there,
 * timeouts and interrupts. The read of an entry that can expire is held on its worker by a clock that blocks there
 * until the test opens
 * a gate, opened only once the joining thread is registered (its wake-up is a dependent of the future), so every
 * case is ordered by latches.
 */
class AsyncJoinTest {
    @TempDir
    Path dir;

    /** Reads a fixed instant; on a worker thread, first waits for the gate while one is set. */
    static final class GateClock implements InstantSource {
        volatile CountDownLatch gate;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            CountDownLatch g = gate;
            if (g != null && Thread.currentThread().getName().contains("-worker-")) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 1_000_000L;
        }
    }

    private final GateClock clock = new GateClock();

    private Cluster open() {
        Cluster c = Cluster.open(dir, ClusterOptions.defaults().withWorkerThreads(1).withClock(clock)
                .withOperationTimeout(Duration.ofSeconds(5)));
        // an entry that can expire: its read asks the clock, on the worker
        c.blob("k").put("v".getBytes(UTF_8), Expiry.at(Instant.ofEpochMilli(2_000_000L)));
        return c;
    }

    /** Opens the gate once {@code future} has {@code dependents} dependents (the test's own plus the joiner's). */
    private static void openWhenJoined(CompletableFuture<?> future, int dependents, CountDownLatch gate) {
        Thread.ofPlatform().daemon().start(() -> {
            while (future.getNumberOfDependents() < dependents) {
                Thread.yield();
            }
            gate.countDown();
        });
    }

    @Test
    void joinCompletesTheFutureOnTheJoiningThreadAndDependentsRunThereNotOnAWorker() {
        try (Cluster c = open()) {
            CountDownLatch gate = new CountDownLatch(1);
            clock.gate = gate;
            CompletableFuture<byte[]> f = c.blob("k").getAsync();
            CompletableFuture<String> ranOn = f.thenApply(v -> Thread.currentThread().getName());
            openWhenJoined(f, 2, gate);
            assertArrayEquals("v".getBytes(UTF_8), f.join());
            assertEquals(Thread.currentThread().getName(), ranOn.getNow("not run yet"),
                    "the dependent ran when join completed the future, on the joining thread");
        }
    }

    @Test
    void closeFromADependentRunByJoinDoesNotWaitForItsOwnOperation() throws Exception {
        try (LogCapture log = LogCapture.warnings("dev.leakproof")) {
            Cluster c = open();
            CountDownLatch gate = new CountDownLatch(1);
            clock.gate = gate;
            CompletableFuture<byte[]> f = c.blob("k").getAsync();
            CompletableFuture<Void> closed = f.thenRun(c::close);
            openWhenJoined(f, 2, gate);
            assertArrayEquals("v".getBytes(UTF_8), f.join());
            assertTrue(closed.isDone() && !closed.isCompletedExceptionally(), "close ran and returned in join");
            assertTrue(c.isClosed());
            // without the fix close waits the 5 s operation timeout for the item this thread holds, then warns
            assertEquals(List.of(), log.containing("still in flight"));
            clock.gate = null;
            try (Cluster again = Cluster.open(dir, ClusterOptions.defaults().withClock(clock))) {
                assertArrayEquals("v".getBytes(UTF_8), again.blob("k").get(), "the database was closed");
            }
        }
    }

    @Test
    void aGetThatTimesOutLeavesTheCompletionToTheCompletionThread() throws Exception {
        try (Cluster c = open()) {
            CountDownLatch gate = new CountDownLatch(1);
            clock.gate = gate;
            CompletableFuture<byte[]> f = c.blob("k").getAsync();
            // the operation cannot end before the gate opens: the wait can only end by its timeout
            assertThrows(TimeoutException.class, () -> f.get(1, TimeUnit.MILLISECONDS));
            CompletableFuture<String> ranOn = f.thenApply(v -> Thread.currentThread().getName());
            gate.countDown();
            assertTrue(ranOn.get(30, TimeUnit.SECONDS).endsWith("-completion"), ranOn.join());
            assertArrayEquals("v".getBytes(UTF_8), f.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void joinKeepsAnInterruptAndGetIsInterrupted() throws Exception {
        try (Cluster c = open()) {
            CountDownLatch gate = new CountDownLatch(1);
            clock.gate = gate;
            CompletableFuture<byte[]> first = c.blob("k").getAsync();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, first::get);
            assertTrue(!Thread.currentThread().isInterrupted(), "Future.get clears the flag with the throw");
            Thread.currentThread().interrupt();
            openWhenJoined(first, 1, gate);
            assertArrayEquals("v".getBytes(UTF_8), first.join(), "join is not interruptible");
            assertTrue(Thread.interrupted(), "join kept the interrupt");
        }
    }

    @Test
    void anAsyncSpinOutOfRangeIsRejectedWithItsValue() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ClusterOptions.defaults().withAsyncSpin(Duration.ofNanos(-5)));
        assertEquals("asyncSpin must be between 0 and 1 s, got PT-0.000000005S (it is a busy wait: microseconds, "
                + "or Duration.ZERO to never spin)", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.defaults().withAsyncSpin(Duration.ofSeconds(5)));
        assertThrows(NullPointerException.class, () -> ClusterOptions.defaults().withAsyncSpin(null));
        assertEquals(ClusterOptions.Defaults.ASYNC_SPIN, ClusterOptions.defaults().asyncSpin());
    }

    @Test
    void withoutSpinAJoinStillTakesTheCompletion() {
        // workers and the joining thread park at once; the hand-over is the same
        try (Cluster c = Cluster.open(dir, ClusterOptions.defaults().withWorkerThreads(1).withClock(clock)
                .withAsyncSpin(Duration.ZERO))) {
            c.blob("k").put("v".getBytes(UTF_8), Expiry.at(Instant.ofEpochMilli(2_000_000L)));
            CountDownLatch gate = new CountDownLatch(1);
            clock.gate = gate;
            CompletableFuture<byte[]> f = c.blob("k").getAsync();
            CompletableFuture<String> ranOn = f.thenApply(v -> Thread.currentThread().getName());
            openWhenJoined(f, 2, gate);
            assertArrayEquals("v".getBytes(UTF_8), f.join());
            assertEquals(Thread.currentThread().getName(), ranOn.getNow("not run yet"));
        }
    }
}
