package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps per-session statistics in a {@link WeakHashMap} keyed by the session, trusting the weak keys to drop an
 * entry when its session is gone; but each {@code SessionStats} value holds its {@code Session} (to print it), and
 * a {@code WeakHashMap} holds its values strongly, so every key stays strongly reachable through its own value and
 * no entry is ever expunged. A new session every 2 iterations, dropped by the caller at once: per session the key
 * (24 B), the value (24 B), the map's {@code WeakHashMap$Entry} (a {@code WeakReference}, 40 B) and about 5 B of
 * table, ~93 B per 2 iterations, 46 B per iteration, without bound: a heap leak reached through a weak map.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 46,
        culprit = "WeakHashMap|SessionStats|Session", userFrame = "WeakHashMapValueRefsKey\\.run",
        summary = "WeakHashMap<Session, Stats> whose values reference their keys; a session per 2 iterations")
public final class WeakHashMapValueRefsKey implements Runnable {
    private final Busy busy = new Busy();
    private final Map<Session, SessionStats> stats = new WeakHashMap<>();
    private Session current = new Session(0);
    private long calls;

    /** A client session, compared by identity. @param id its id */
    record Session(long id) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** What is known of a session; keeps it to print it. */
    static final class SessionStats {
        final Session session;
        long requests;

        SessionStats(Session session) {
            this.session = session;
        }
    }

    /** Creates the case with an empty map. */
    public WeakHashMapValueRefsKey() {
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 2 == 0) {
            current = new Session(calls);     // the previous session is dropped here
        }
        stats.computeIfAbsent(current, SessionStats::new).requests++;
    }
}
