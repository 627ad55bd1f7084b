package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An access-ordered {@link LinkedHashMap} used as an LRU cache bounded at 20,000 entries
 * ({@code removeEldestEntry}): every second call misses and inserts a new key with a 32-byte value, every other
 * call hits a recent key. The map fills at a steady rate until call 40,000 (past the middle of the judged half of
 * a default first pass) and then evicts one entry per insert: it never holds more than 20,000 entries (about
 * 2 MB). Growth that stops at a bound: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "LinkedHashMap LRU bounded at 20,000, a new key every 2 calls: fills until call 40,000")
public final class LruMapSlowFill implements Runnable {
    static final int MAX_ENTRIES = 20_000;
    private final Work work = Work.heavy();
    private final Map<Long, byte[]> lru = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private long calls;
    private long nextKey;
    private long hits;

    /** Creates an empty cache. */
    public LruMapSlowFill() {
    }

    @Override
    public void run() {
        work.request();
        if ((++calls & 1) == 0) {
            byte[] value = new byte[32];
            value[0] = (byte) calls;
            lru.put(nextKey++, value);
        } else if (nextKey > 0) {
            hits += lru.get(nextKey - 1 - calls % Math.min(nextKey, 100)) != null ? 1 : 0;
        }
    }
}
