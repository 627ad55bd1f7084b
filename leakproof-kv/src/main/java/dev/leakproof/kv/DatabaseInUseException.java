package dev.leakproof.kv;

/**
 * The database directory is in use: RocksDB holds an exclusive lock on its {@code LOCK} file for as long as a
 * database is open, and another process (or another open {@link Cluster} of this process) holds it. Close the
 * other one, or open a different directory.
 */
public final class DatabaseInUseException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail, with RocksDB's message */
    public DatabaseInUseException(String message) {
        super(KvError.IN_USE, message, null);
    }
}
