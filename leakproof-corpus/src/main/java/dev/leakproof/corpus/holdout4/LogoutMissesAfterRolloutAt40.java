package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A session table that works until a new client version rolls out, then leaks. A session logs in every 8 calls
 * and the session that logged in 4,000 calls earlier logs out, so the table holds 500 sessions. From call 22,000
 * (40% of a 50,000-iteration run after 2,000 warm-up calls) the logouts come from the new client, which sends the
 * session token as text, and the handler calls {@code sessions.remove(token)} with that {@code String}: a
 * {@code Map<Long, Session>} never holds a {@code String} key, so nothing is removed. From then on every session
 * stays: a {@code HashMap} node (32 B), the boxed id (24 B), the session (32 B) and a table slot, about 95 bytes
 * per 8 calls, 12 B per iteration, with nothing before call 22,000 but the bounded 500. Each iteration does 5
 * rounds of work (~100 µs) so that a first pass stays near 50,000 iterations and the rollout lands where this says.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 12,
        culprit = "Session|HashMap|Long|LogoutMissesAfterRolloutAt40",
        userFrame = "LogoutMissesAfterRolloutAt40",
        summary = "sessions logged out 4,000 calls after login; from call 22,000 (40%) logout uses a String key, removes nothing")
public final class LogoutMissesAfterRolloutAt40 implements Runnable {
    private static final long ROLLOUT = 22_000;
    private final Mill mill = new Mill();
    private final Map<Long, Session> sessions = new HashMap<>();
    private final ArrayDeque<Long> loginOrder = new ArrayDeque<>();
    private long calls;
    private long acc;

    /** Starts with no sessions. */
    public LogoutMissesAfterRolloutAt40() {
    }

    @Override
    public void run() {
        mill.times(5);
        if (calls % 8 == 0) {
            long id = 1_000_000L + calls / 8;
            sessions.put(id, new Session(id, calls, (int) (id % 977)));
            loginOrder.addLast(id);
            if (loginOrder.size() > 500) {
                Long out = loginOrder.removeFirst();
                if (calls < ROLLOUT) {
                    sessions.remove(out);
                } else {
                    // the new client's logout: the token arrives as text and is passed on as it came
                    String token = Long.toString(out);
                    sessions.remove(token);
                }
            }
        }
        Session any = sessions.get(1_000_000L + calls / 8);
        acc += any == null ? 0 : any.userId();
        calls++;
    }

    private record Session(long id, long since, int userId) {
    }
}
