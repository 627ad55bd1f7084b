package dev.leakproof.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParkingExecutorTest {
    @Test
    void everyTaskFromManyProducersRunsOnceAndShutdownRunsWhatIsQueued() throws Exception {
        ParkingExecutor ex = new ParkingExecutor(2, 1024, Thread.ofPlatform().daemon().factory());
        AtomicInteger ran = new AtomicInteger();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    while (true) {
                        try {
                            ex.execute(ran::incrementAndGet);
                            break;
                        } catch (RejectedExecutionException full) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }));
        }
        for (Thread t : producers) {
            t.join();
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(TimeUnit.SECONDS.toNanos(10)));
        assertEquals(40_000, ran.get());
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        assertTrue(e.getMessage().contains("shut down"));
    }

    @Test
    void aFullQueueRejectsAndSaysSo() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch taken = new CountDownLatch(1);
        ParkingExecutor ex = new ParkingExecutor(1, 2, Thread.ofPlatform().daemon().factory());
        ex.execute(() -> {
            taken.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(taken.await(10, TimeUnit.SECONDS)); // the worker took the blocking task: the queue is empty
        ex.execute(() -> { });
        ex.execute(() -> { });
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        hold.countDown();
        ex.shutdown();
        assertTrue(ex.awaitTermination(TimeUnit.SECONDS.toNanos(10)));
    }

    @Test
    void aThrowingTaskDoesNotStopItsThread() throws Exception {
        ParkingExecutor ex = new ParkingExecutor(1, 16, Thread.ofPlatform().daemon().factory());
        CountDownLatch after = new CountDownLatch(1);
        ex.execute(() -> {
            throw new IllegalStateException("task bug");
        });
        ex.execute(after::countDown);
        assertTrue(after.await(10, TimeUnit.SECONDS));
        ex.shutdown();
        assertTrue(ex.awaitTermination(TimeUnit.SECONDS.toNanos(10)));
    }
}
