package dev.leakproof.kv;

/** Attaching a tag the entry already has. */
public final class TagAlreadySetException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public TagAlreadySetException(String message) {
        super(KvError.TAG_ALREADY_SET, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public TagAlreadySetException(String message, Throwable cause) {
        super(KvError.TAG_ALREADY_SET, message, cause);
    }
}
