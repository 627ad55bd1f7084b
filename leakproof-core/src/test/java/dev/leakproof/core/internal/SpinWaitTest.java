package dev.leakproof.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpinWaitTest {
    @Test
    void aTurnEndsOnlyOnceTheBoundHasPassed() {
        long start = System.nanoTime();
        assertTrue(SpinWait.turn(0, start, Long.MAX_VALUE));
        assertTrue(SpinWait.turn(SpinWait.PAUSES + 1, start, Long.MAX_VALUE), "a yielding turn goes on too");
        // a bound already passed ends the wait at the first clock read (every 16th pause) and on any yielding turn
        assertFalse(SpinWait.turn(15, start - 1, 0));
        assertFalse(SpinWait.turn(SpinWait.PAUSES, start - 1, 0));
        assertTrue(SpinWait.turn(3, start - 1, 0), "no clock read between the 16th pauses");
    }
}
