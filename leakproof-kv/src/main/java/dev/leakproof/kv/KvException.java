package dev.leakproof.kv;

import java.util.Objects;

/**
 * Base of every error leakproof-kv reports, blocking or async (an async operation's future completes
 * exceptionally with the same exception). {@link #code()} is stable across releases.
 */
public class KvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final KvError error;

    /**
     * @param error   what went wrong
     * @param message the detail, naming the alias, tag or value involved
     * @param cause   the underlying cause, or null
     */
    protected KvException(KvError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** @return the error kind */
    public KvError error() {
        return error;
    }

    /** @return the stable numeric code of {@link #error()} */
    public int code() {
        return error.code();
    }
}
