package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * An in-memory product catalogue of 32,768 entries of 1 KiB each (a 32 MiB live set built in the constructor),
 * kept current by a feed: every iteration replaces 48 entries, in round-robin order, with freshly built 1 KiB
 * records, so ~48 KiB of new objects a call and as much long-lived data turned into old-generation garbage. The
 * number and size of live entries never change: heap after a full GC stays at the same 32 MiB all run long under
 * heavy churn — no leak.
 */
@Expect(verdict = Truth.NO_LEAK,
        summary = "a constant 32 MiB catalogue, 48 of its 1 KiB entries rebuilt per iteration (old-gen churn)")
public final class CatalogueRewrittenInPlace implements Runnable {
    private static final int ENTRIES = 32_768;
    private static final int PER_CALL = 48;
    private final Toil toil = new Toil();
    private final byte[][] catalogue = new byte[ENTRIES][];
    private int next;
    private long version;
    private long checksum;

    /** Builds the whole catalogue. */
    public CatalogueRewrittenInPlace() {
        for (int i = 0; i < ENTRIES; i++) {
            catalogue[i] = record(i, 0);
        }
    }

    @Override
    public void run() {
        toil.request();
        version++;
        for (int i = 0; i < PER_CALL; i++) {
            catalogue[next] = record(next, version);
            checksum += catalogue[next][next & 1023];
            next = (next + 1) % ENTRIES;
        }
    }

    private static byte[] record(int id, long version) {
        byte[] r = new byte[1024];
        long x = id * 0x9E3779B97F4A7C15L + version;
        for (int i = 0; i < r.length; i += 64) {
            r[i] = (byte) (x >>> (i & 56));
        }
        return r;
    }
}
