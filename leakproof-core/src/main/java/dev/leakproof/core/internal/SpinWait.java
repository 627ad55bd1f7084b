package dev.leakproof.core.internal;

/**
 * One turn of a bounded busy wait: {@link Thread#onSpinWait} for the first {@value #PAUSES} turns, then
 * {@link Thread#yield}, until {@code bound} nanoseconds have passed since {@code start}.
 *
 * <p>Design note. On an idle 2-vCPU virtual machine a busy wait keeps the vCPU from halting, which is what makes
 * a hand-off cheap there (a parked thread on a halted vCPU takes tens of microseconds to wake). On a loaded one
 * ({@code KvSideBySideBenchmark.spinRoundTrip} at load 7: milliseconds) a pure spin burns the time slice the
 * awaited thread needs; yielding after a few pauses gives it the core, and costs an idle machine only a system call
 * per turn. The clock is read every 16 pauses: a read costs more than a pause on this VM's vDSO.
 */
public final class SpinWait {
    /** Turns of {@link Thread#onSpinWait} before the wait starts yielding. */
    public static final int PAUSES = 256;

    private SpinWait() {
    }

    /**
     * @param turn  turns taken so far (0 first)
     * @param start {@link System#nanoTime()} when the wait began
     * @param bound how long it may last
     * @return whether to take another turn (false: the bound has passed, park)
     */
    public static boolean turn(int turn, long start, long bound) {
        if (turn < PAUSES) {
            Thread.onSpinWait();
            return (turn & 15) != 15 || System.nanoTime() - start < bound;
        }
        Thread.yield();
        return System.nanoTime() - start < bound;
    }
}
