package dev.leakproof.kv;

/** The alias has no entry, or its entry expired. */
public final class AliasNotFoundException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public AliasNotFoundException(String message) {
        super(KvError.ALIAS_NOT_FOUND, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public AliasNotFoundException(String message, Throwable cause) {
        super(KvError.ALIAS_NOT_FOUND, message, cause);
    }
}
