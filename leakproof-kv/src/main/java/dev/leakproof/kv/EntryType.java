package dev.leakproof.kv;

/** The type of entry an alias holds: what {@link Cluster#type(String)} answers. */
public enum EntryType {
    /** A {@link BlobEntry}. */
    BLOB,
    /** An {@link IntegerEntry}. */
    INTEGER,
    /** A {@link DequeEntry}. */
    DEQUE,
    /** A {@link SetEntry}. */
    SET
}
