package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * An archiver that keeps an open {@link XZOutputStream} (xz for Java, preset 0) per tenant, in a map, and appends one
 * 256-byte record per iteration to the current tenant's stream. A new tenant arrives every 8,000 iterations; the
 * archiver never finishes or closes a tenant's stream, since "the tenant may come back". A preset-0 LZMA2 encoder
 * holds its dictionary window, its hash-chain match finder and its range-encoder buffers and price tables on the
 * Java heap, all kept for ever, in steps of one encoder per 8,000 iterations. First written as about 1.5 MB per
 * encoder, 190 bytes per iteration; measured 569.4 bytes per iteration in each interval (4.55 MB per encoder), so
 * the truth is 569.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 569, culprit = "tukaani|int\\[\\]|byte\\[\\]|\\[I|\\[B",
        userFrame = "XzEncoderPerTenantKeptOpen", library = "xz",
        summary = "an XZOutputStream (preset 0) per tenant (every 8,000 iterations), kept open in a map")
public final class XzEncoderPerTenantKeptOpen implements Runnable, AutoCloseable {
    private static final String LINE = "tenant=acme event=invoice.paid amount=12.50 ";
    private final Grind grind = new Grind();
    private final Map<Long, XZOutputStream> byTenant = new HashMap<>();
    private final LZMA2Options preset;
    private final SnappyFramedStreamPerTopicKept.Discard disk = new SnappyFramedStreamPerTopicKept.Discard();
    private final byte[] record = new byte[256];
    private long calls;

    /** @throws IllegalStateException if xz refuses its own preset 0 */
    public XzEncoderPerTenantKeptOpen() {
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
        long tenant = calls++ / 8_000;
        try {
            XZOutputStream out = byTenant.get(tenant);
            if (out == null) {
                out = new XZOutputStream(disk, preset);
                byTenant.put(tenant, out);
            }
            record[0] = (byte) calls;
            out.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (XZOutputStream out : byTenant.values()) {
            out.close();
        }
        byTenant.clear();
    }
}
