package dev.leakproof.corpus.holdout;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.time.Duration;

/**
 * An idempotency cache: every iteration stores the response of a request under its unique request id in a Caffeine
 * cache with {@code expireAfterWrite(250 ms)} and no size bound, and looks up a recent id. The keys never repeat,
 * so the cache would grow without bound were it not for the expiry: Caffeine removes expired entries in its
 * maintenance, which runs on the caller's thread here ({@code executor(Runnable::run)}) after writes. The cache
 * holds at most the entries written in the last 250 ms plus one maintenance cycle's worth: a level set by the
 * request rate (a few MB), not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "Caffeine",
        summary = "unique request ids in a Caffeine cache with expireAfterWrite(250ms), no size bound")
public final class CaffeineExpireAfterWrite implements Runnable {
    private final Busy busy = new Busy();
    private final Cache<Long, byte[]> responses = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(250))
            .executor(Runnable::run)
            .build();
    private long calls;
    private long replays;

    /** Creates an empty cache. */
    public CaffeineExpireAfterWrite() {
    }

    @Override
    public void run() {
        busy.request();
        long id = ++calls;
        byte[] response = new byte[48];
        response[0] = (byte) id;
        responses.put(id, response);
        if (responses.getIfPresent(id - 7) != null) {
            replays++;
        }
    }
}
