package dev.leakproof.kv;

/** The cluster was closed before or while the operation ran. */
public final class ClusterClosedException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public ClusterClosedException(String message) {
        super(KvError.CLUSTER_CLOSED, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public ClusterClosedException(String message, Throwable cause) {
        super(KvError.CLUSTER_CLOSED, message, cause);
    }
}
