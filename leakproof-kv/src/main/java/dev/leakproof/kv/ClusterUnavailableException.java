package dev.leakproof.kv;

/** The Redis Cluster does not serve every hash slot (CLUSTERDOWN, slots not covered): the message says which. */
public final class ClusterUnavailableException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public ClusterUnavailableException(String message) {
        super(KvError.CLUSTER_UNAVAILABLE, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public ClusterUnavailableException(String message, Throwable cause) {
        super(KvError.CLUSTER_UNAVAILABLE, message, cause);
    }
}
