package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * An in-memory audit trail: every iteration appends a 5-character record ({@code "r" + one digit + "ok;"}, all
 * Latin-1, so one byte a character) to a long-lived {@link StringBuilder} that was meant to be flushed to a file
 * and never is. The text grows by 5 bytes per iteration for good; the builder's array grows by doubling, so the
 * retained heap rises in ever larger steps, between 5 and 10 B per iteration on average (the array is between
 * half full and full) — a heap leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 5,
        culprit = "byte\\[\\]|\\[B|StringBuilder|audit", userFrame = "AuditLogStringBuilder",
        summary = "5 chars of audit record per iteration appended to a StringBuilder never flushed")
public final class AuditLogStringBuilder implements Runnable {
    private final Toil toil = new Toil();
    private final StringBuilder audit = new StringBuilder(64);
    private long calls;

    /** Starts with an empty trail. */
    public AuditLogStringBuilder() {
    }

    @Override
    public void run() {
        toil.request();
        calls++;
        audit.append('r').append((char) ('0' + calls % 10)).append("ok;");
    }

    /** @return the trail's length, so the builder is visibly in use */
    int length() {
        return audit.length();
    }
}
