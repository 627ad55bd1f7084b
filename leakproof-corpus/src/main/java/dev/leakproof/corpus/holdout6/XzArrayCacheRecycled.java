package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * A batch exporter that compresses each batch with a fresh {@link XZOutputStream} (xz for Java, preset 0) handed
 * xz's {@link BasicArrayCache}: a new batch every 500 iterations, one 256-byte record written per iteration, the
 * stream {@code finish()}ed and closed at the end of its batch. Each encoder takes about 4.5 MB of arrays (measured
 * in {@link XzEncoderPerTenantKeptOpen}); at {@code close()} it puts them back into the cache, which holds them
 * through soft references in small per-size stacks, and the next batch's encoder takes the same arrays out again.
 * The heap moves (a batch's encoder is big) but what is kept is one encoder's arrays, bounded: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "xz",
        summary = "an XZOutputStream per batch (every 500 iterations) on xz's BasicArrayCache, closed: arrays reused")
public final class XzArrayCacheRecycled implements Runnable, AutoCloseable {
    private static final String LINE = "sku=A-1043 qty=3 warehouse=north-2 ";
    private final Grind grind = new Grind();
    private final LZMA2Options preset;
    private final SnappyFramedStreamPerTopicKept.Discard disk = new SnappyFramedStreamPerTopicKept.Discard();
    private final byte[] record = new byte[256];
    private XZOutputStream batch;
    private long calls;

    /** @throws IllegalStateException if xz refuses its own preset 0 */
    public XzArrayCacheRecycled() {
        try {
            preset = new LZMA2Options(0);
        } catch (org.tukaani.xz.UnsupportedOptionsException e) {
            throw new IllegalStateException("xz preset 0", e);
        }
        for (int i = 0; i < record.length; i++) {
            record[i] = (byte) LINE.charAt(i % LINE.length());
        }
    }

    @Override
    public void run() {
        grind.once();
        try {
            if (calls++ % 500 == 0) {
                if (batch != null) {
                    batch.close(); // finishes the batch and returns its arrays to the cache
                }
                batch = new XZOutputStream(disk, preset, BasicArrayCache.getInstance());
            }
            record[0] = (byte) calls;
            batch.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
