package dev.leakproof.kv;

/** {@code put} on an alias that already has an entry. */
public final class AliasAlreadyExistsException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public AliasAlreadyExistsException(String message) {
        super(KvError.ALIAS_ALREADY_EXISTS, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public AliasAlreadyExistsException(String message, Throwable cause) {
        super(KvError.ALIAS_ALREADY_EXISTS, message, cause);
    }
}
