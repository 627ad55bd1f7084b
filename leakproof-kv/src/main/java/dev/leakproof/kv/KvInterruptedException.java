package dev.leakproof.kv;

/**
 * The calling thread was interrupted while the operation waited (for a free slot in the async queue); the
 * operation did not run. The cause is the {@link InterruptedException}, and the thread's interrupt flag is left
 * set, so code further up still sees the interrupt.
 */
public final class KvInterruptedException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail @param cause the interrupt */
    public KvInterruptedException(String message, InterruptedException cause) {
        super(KvError.INTERRUPTED, message, cause);
    }
}
