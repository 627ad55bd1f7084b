package dev.leakproof.kv;

/** The alias holds an entry of another type. */
public final class IncompatibleTypeException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public IncompatibleTypeException(String message) {
        super(KvError.INCOMPATIBLE_TYPE, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public IncompatibleTypeException(String message, Throwable cause) {
        super(KvError.INCOMPATIBLE_TYPE, message, cause);
    }
}
