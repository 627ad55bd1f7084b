package dev.leakproof.kv;

/** Popping, or reading the front or back of, an empty deque. */
public final class EmptyContainerException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public EmptyContainerException(String message) {
        super(KvError.EMPTY_CONTAINER, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public EmptyContainerException(String message, Throwable cause) {
        super(KvError.EMPTY_CONTAINER, message, cause);
    }
}
