package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The correct twin of {@link WeakHashMapValueRefsKey}: per-session statistics in a {@link WeakHashMap} keyed by a
 * session that is dropped by the caller every 2 iterations, with values that hold only numbers (the session's id
 * as a {@code long}, never the session). Once a session is unreachable, GC clears its entry's weak reference and
 * the map expunges the entry on its next operation, so live entries are bounded by the sessions created since the
 * last GC, and the table by its largest such count. Heap churns but stays bounded: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "WeakHashMap<Session, Stats> whose values hold no key reference; a session per 2 iterations")
public final class WeakHashMapCanonical implements Runnable {
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

    /** What is known of a session, by id only. */
    static final class SessionStats {
        final long sessionId;
        long requests;

        SessionStats(Session session) {
            this.sessionId = session.id();
        }
    }

    /** Creates the case with an empty map. */
    public WeakHashMapCanonical() {
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 2 == 0) {
            current = new Session(calls);
        }
        stats.computeIfAbsent(current, SessionStats::new).requests++;
    }
}
