package dev.leakproof.kv;

/**
 * The target of {@link Cluster#checkpoint(java.nio.file.Path)} already exists: a checkpoint always makes a new
 * directory, and never writes into or over an existing file or directory. Pick a path that does not exist yet.
 */
public final class TargetExistsException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail, naming the path */
    public TargetExistsException(String message) {
        super(KvError.TARGET_EXISTS, message, null);
    }
}
