package dev.leakproof.kv;

/** An operation that Redis Cluster can run atomically only on one hash slot was given entries on several (a {@link WriteBatch} over aliases without a common hash tag). */
public final class CrossSlotException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public CrossSlotException(String message) {
        super(KvError.CROSS_SLOT, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public CrossSlotException(String message, Throwable cause) {
        super(KvError.CROSS_SLOT, message, cause);
    }
}
