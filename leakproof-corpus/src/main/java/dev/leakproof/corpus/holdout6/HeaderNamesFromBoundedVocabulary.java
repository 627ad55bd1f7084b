package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A header parser that canonicalises header names through an unbounded {@link ConcurrentHashMap} used as an intern
 * table (the shape that is a leak when names come from users). Here the names come from a fixed vocabulary of 3,600
 * names, seen in the order traffic reveals them: up to call 36,000 (about 72% of a 50,000-iteration pass) the request
 * at call {@code n} carries name {@code n / 10} and one earlier name, so the table grows by one entry every 10 calls;
 * after that every name is already in the table. The table fills late and then stays at 3,600 entries; each call's
 * parsed names are garbage. Growth that stops, not a leak. Each call does 5 units of work (about 100 µs), as the
 * earlier rounds' placed cases do, so that the fill ends where the case means it to.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "an intern map of header names from a vocabulary of 3,600, revealed one per 10 calls: full at call 36,000")
public final class HeaderNamesFromBoundedVocabulary implements Runnable {
    private static final int VOCABULARY = 3_600;
    private final Grind grind = new Grind();
    private final ConcurrentHashMap<String, String> canonical = new ConcurrentHashMap<>();
    private long calls;
    private long seed = 0x1234_5678_9ABCL;
    private long length;

    /** An empty intern table. */
    public HeaderNamesFromBoundedVocabulary() {
    }

    @Override
    public void run() {
        grind.times(5);
        long n = calls++;
        int revealed = (int) Math.min(VOCABULARY, n / 10 + 1);
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        int earlier = (int) Long.remainderUnsigned(seed >>> 16, revealed);
        length += intern("x-vendor-header-" + (revealed - 1)).length();
        length += intern("x-vendor-header-" + earlier).length();
    }

    private String intern(String parsed) {
        String known = canonical.putIfAbsent(parsed, parsed);
        return known == null ? parsed : known;
    }
}
