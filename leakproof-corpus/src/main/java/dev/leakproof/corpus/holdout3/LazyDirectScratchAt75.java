package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;

/**
 * A codec that switches to a large direct scratch buffer the first time a message needs the "bulk" path, which
 * happens at call 39,500 (about 75% of a 50,000-iteration run after 2,000 warm-up calls). The 2 MiB direct buffer
 * is allocated once and reused by every later call; earlier calls use a small heap array. Direct memory steps by
 * 2 MiB once, late, and is flat before and after: a lazy initialisation, not a leak. Each iteration does 5 rounds
 * of work (~100 µs) so that a first pass stays near 50,000 iterations and the step lands where this says.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct",
        summary = "one 2 MiB direct scratch buffer allocated lazily at call 39,500 (~75%), then reused")
public final class LazyDirectScratchAt75 implements Runnable {
    private static final int BULK_FROM = 39_500;
    private final Grind grind = new Grind();
    private final byte[] small = new byte[256];
    private ByteBuffer bulk;
    private long calls;
    private long checksum;

    /** No direct scratch until the bulk path is first taken. */
    public LazyDirectScratchAt75() {
    }

    @Override
    public void run() {
        grind.times(5);
        if (calls++ >= BULK_FROM) {
            if (bulk == null) {
                bulk = ByteBuffer.allocateDirect(2 << 20);
            }
            int at = (int) (calls * 4096 % bulk.capacity());
            bulk.putLong(at, calls);
            checksum += bulk.getLong(at);
        } else {
            small[(int) (calls & 255)] = (byte) calls;
            checksum += small[(int) ((calls * 7) & 255)];
        }
    }
}
