package dev.leakproof.kv;

/** Inserting a set element that is already there. */
public final class ElementAlreadyExistsException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public ElementAlreadyExistsException(String message) {
        super(KvError.ELEMENT_ALREADY_EXISTS, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public ElementAlreadyExistsException(String message, Throwable cause) {
        super(KvError.ELEMENT_ALREADY_EXISTS, message, cause);
    }
}
