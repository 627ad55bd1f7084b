package dev.leakproof.kv;

/** The engine reported an error (RocksDB, hiredis or a Redis node), or its native library cannot be used; the message is the engine's own. */
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
