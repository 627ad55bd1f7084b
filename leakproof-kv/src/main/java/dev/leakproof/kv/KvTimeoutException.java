package dev.leakproof.kv;

/** The operation did not finish within the cluster's operation timeout. */
public final class KvTimeoutException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public KvTimeoutException(String message) {
        super(KvError.TIMEOUT, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public KvTimeoutException(String message, Throwable cause) {
        super(KvError.TIMEOUT, message, cause);
    }
}
