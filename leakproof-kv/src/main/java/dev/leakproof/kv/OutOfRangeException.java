package dev.leakproof.kv;

/** A deque index outside {@code [0, size)}. */
public final class OutOfRangeException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public OutOfRangeException(String message) {
        super(KvError.OUT_OF_RANGE, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public OutOfRangeException(String message, Throwable cause) {
        super(KvError.OUT_OF_RANGE, message, cause);
    }
}
