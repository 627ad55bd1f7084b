package dev.leakproof.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EntryStripesTest {
    private final EntryStripes stripes = new EntryStripes();
    private final int stripe = EntryStripes.of("ekey".getBytes(StandardCharsets.UTF_8));

    @Test
    void aPointWriteIsRefusedWhileATransactionIsRegisteredAndAllowedAfterIt() {
        stripes.enter(stripe);
        assertFalse(stripes.tryWrite(stripe), "a transaction holds the stripe");
        stripes.enter(stripe);
        stripes.exit(stripe);
        assertFalse(stripes.tryWrite(stripe), "one of two transactions still holds it");
        stripes.exit(stripe);
        assertTrue(stripes.tryWrite(stripe));
        stripes.endWrite(stripe);
        assertEquals(0, stripes.word(stripe));
    }

    @Test
    void twoPointWritesNeverHoldOneStripe() {
        assertTrue(stripes.tryWrite(stripe));
        assertFalse(stripes.tryWrite(stripe));
        stripes.endWrite(stripe);
        assertTrue(stripes.tryWrite(stripe));
        stripes.endWrite(stripe);
    }

    @Test
    void aTransactionWaitsOutAPointWriteInProgress() throws InterruptedException {
        assertTrue(stripes.tryWrite(stripe));
        CountDownLatch entered = new CountDownLatch(1);
        Thread txn = Thread.ofPlatform().name("txn").start(() -> {
            stripes.enter(stripe);
            entered.countDown();
            stripes.exit(stripe);
        });
        while (stripes.word(stripe) != 3) { // the transaction has registered and sees the point write
            Thread.onSpinWait();
        }
        assertEquals(1, entered.getCount(), "the transaction went on while the point write held the stripe");
        stripes.endWrite(stripe);
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the transaction went on once the point write ended");
        txn.join();
        assertEquals(0, stripes.word(stripe));
    }

    @Test
    void stripesSpreadKeysAndStayInRange() {
        int a = EntryStripes.of("ea".getBytes(StandardCharsets.UTF_8));
        int b = EntryStripes.of("eb".getBytes(StandardCharsets.UTF_8));
        assertTrue(a != b, "neighbouring keys fall in different stripes");
        for (int i = 0; i < 10_000; i++) {
            int s = EntryStripes.of(("e" + i).getBytes(StandardCharsets.UTF_8));
            assertTrue(s >= 0 && s < EntryStripes.STRIPES);
        }
    }
}
