package dev.leakproof.kv;

/** RocksDB reported an error; the message is RocksDB's own. */
public final class NativeException extends KvException {
    private static final long serialVersionUID = 1L;

    /** @param message the detail */
    public NativeException(String message) {
        super(KvError.NATIVE_ERROR, message, null);
    }

    /** @param message the detail @param cause the underlying cause */
    public NativeException(String message, Throwable cause) {
        super(KvError.NATIVE_ERROR, message, cause);
    }
}
