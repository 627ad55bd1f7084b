package dev.leakproof.kv;

/** Detaching a tag the entry does not have. */
public final class TagNotSetException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public TagNotSetException(String message) {
        super(KvError.TAG_NOT_SET, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public TagNotSetException(String message, Throwable cause) {
        super(KvError.TAG_NOT_SET, message, cause);
    }
}
