package dev.leakproof.cli.internal;

/** Bad usage or bad input: the command prints the message and exits with status 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what to do */
    public UsageException(String message) {
        super(message);
    }
}
