package dev.leakproof.kv;

/**
 * The stable error codes of leakproof-kv. Where the 2015 addon had a code, the number is the same
 * (alias not found 8, out of range 25, element not found 37, element already exists 38, tag already set
 * 41, tag not set 42); numbers never change once released.
 */
public enum KvError {
    /** The alias has no entry (or its entry expired). */
    ALIAS_NOT_FOUND(8),
    /** {@code put} on an alias that already has an entry. */
    ALIAS_ALREADY_EXISTS(9),
    /** The alias holds an entry of another type. */
    INCOMPATIBLE_TYPE(10),
    /** A deque index outside {@code [0, size)}. */
    OUT_OF_RANGE(25),
    /** Popping, or reading the front or back of, an empty deque. */
    EMPTY_CONTAINER(26),
    /** Erasing a set element that is not there. */
    ELEMENT_NOT_FOUND(37),
    /** Inserting a set element that is already there. */
    ELEMENT_ALREADY_EXISTS(38),
    /** Attaching a tag the entry already has. */
    TAG_ALREADY_SET(41),
    /** Detaching a tag the entry does not have. */
    TAG_NOT_SET(42),
    /** The cluster was closed before or while the operation ran. */
    CLUSTER_CLOSED(100),
    /** The operation did not finish within the cluster's operation timeout. */
    TIMEOUT(101),
    /** The engine (RocksDB, hiredis or a Redis node) reported an error; the message is the engine's. */
    NATIVE_ERROR(102),
    /** The database directory is locked by another process (or another open cluster in this one). */
    IN_USE(103),
    /** The calling thread was interrupted while the operation waited; its interrupt flag is still set. */
    INTERRUPTED(104),
    /** A Redis Cluster node could not be reached, refused the credentials, or its connection broke mid-command. */
    CONNECTION_FAILED(105),
    /** The Redis Cluster does not serve every hash slot (down, or slots not assigned). */
    CLUSTER_UNAVAILABLE(106),
    /** Redis Cluster can run the operation atomically only when all its aliases share one hash slot. */
    CROSS_SLOT(107),
    /** A checkpoint's target path already exists (a checkpoint always makes a new directory). */
    TARGET_EXISTS(110);

    private final int code;

    KvError(int code) {
        this.code = code;
    }

    /** @return the stable numeric code */
    public int code() {
        return code;
    }
}
