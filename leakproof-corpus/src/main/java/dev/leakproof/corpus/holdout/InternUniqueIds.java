package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.HashMap;
import java.util.Map;

/**
 * Interns a unique order id ({@code "order-" + n}) on every iteration with {@link String#intern()} to look it up in
 * a small map of 64 preloaded ids, then drops it, as code that "deduplicates strings" does. Since JDK 7 interned
 * strings live on the Java heap and the VM's string table holds them weakly: an interned string nobody references
 * is collected by GC and its table entry removed by the VM's concurrent cleanup; the table itself (native,
 * counted by NMT) grows only to the number of strings live at once. Looks like an unbounded string pool, holds a
 * bounded one: no leak in any probe.
 */
@Expect(verdict = Truth.NO_LEAK, summary = "String.intern() of a unique id every iteration, dropped after a lookup")
public final class InternUniqueIds implements Runnable {
    private final Busy busy = new Busy();
    private final Map<String, Integer> known = new HashMap<>();
    private long calls;
    private long hits;

    /** Preloads 64 ids. */
    public InternUniqueIds() {
        for (int i = 0; i < 64; i++) {
            known.put(("order-" + i).intern(), i);
        }
    }

    @Override
    public void run() {
        busy.request();
        String id = ("order-" + (++calls)).intern();
        if (known.containsKey(id)) {
            hits++;
        }
    }
}
