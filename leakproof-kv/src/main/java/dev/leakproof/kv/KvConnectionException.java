package dev.leakproof.kv;

/** A node of a Redis Cluster could not be reached or the connection broke (refused, unknown host, reset, authentication refused); the message names the node. */
public final class KvConnectionException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public KvConnectionException(String message) {
        super(KvError.CONNECTION_FAILED, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public KvConnectionException(String message, Throwable cause) {
        super(KvError.CONNECTION_FAILED, message, cause);
    }
}
