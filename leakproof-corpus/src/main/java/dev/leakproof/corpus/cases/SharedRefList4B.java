package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the same shared object to an {@code ArrayList<Object>} on every iteration (a "pending acknowledgements"
 * list nobody drains). No new object is retained, only a reference slot: 4 bytes per iteration with compressed
 * references (every heap under 32 GB, so the soak's 1 GB heap), 8 without. The backing {@code Object[]} grows by
 * half each time it is full, so the heap rises in steps of growing size, without bound: a leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 4, culprit = "Object\\[\\]|\\[Ljava\\.lang\\.Object|ArrayList",
        userFrame = "SharedRefList4B\\.run", summary = "the same object added to an ArrayList every iteration (4 B/it of reference slots)")
public final class SharedRefList4B implements Runnable {
    private static final Object ACK = new Object();
    private final Work work = new Work();
    private final List<Object> pending = new ArrayList<>();

    /** Creates an empty list. */
    public SharedRefList4B() {
    }

    @Override
    public void run() {
        work.request();
        pending.add(ACK);
    }
}
