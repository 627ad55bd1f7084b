package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A consumer that drops redelivered messages by remembering every message id it has seen in a
 * {@link ConcurrentHashMap#newKeySet() concurrent key set} that nothing ever prunes. A new message id arrives every
 * 8 iterations (the other 7 are redeliveries of ids already seen, which the set rejects). Each new id keeps a
 * 32-byte map node, a 16-byte {@code Long} (ids are far above the {@code Long} cache) and about 8 bytes of table
 * slot at the map's load factor: ~56 bytes per 8 iterations, 7 B per iteration, retained for good — a small heap
 * leak, with the table doubling now and then on top.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 7,
        culprit = "ConcurrentHashMap|Long|seen", userFrame = "SeenMessageIdsNeverPruned",
        summary = "a ConcurrentHashMap key set of seen message ids, a new id every 8 iterations, never pruned")
public final class SeenMessageIdsNeverPruned implements Runnable {
    private final Toil toil = new Toil();
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private long calls;
    private long duplicates;

    /** Starts with nothing seen. */
    public SeenMessageIdsNeverPruned() {
    }

    @Override
    public void run() {
        toil.request();
        calls++;
        // ids start at 10^9 so no Long comes from the boxing cache; 7 of 8 deliveries repeat the last new id
        long messageId = 1_000_000_000L + calls / 8;
        if (!seen.add(messageId)) {
            duplicates++;
        }
    }
}
