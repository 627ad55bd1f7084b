package dev.leakproof.kv;

/** Erasing a set element that is not there. */
public final class ElementNotFoundException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public ElementNotFoundException(String message) {
        super(KvError.ELEMENT_NOT_FOUND, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public ElementNotFoundException(String message, Throwable cause) {
        super(KvError.ELEMENT_NOT_FOUND, message, cause);
    }
}
