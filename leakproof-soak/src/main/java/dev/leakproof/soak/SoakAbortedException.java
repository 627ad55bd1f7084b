package dev.leakproof.soak;

/** The soaked operation threw, so the soak stopped: the cause is what it threw. */
public final class SoakAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what stopped @param cause what the operation threw */
    public SoakAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
