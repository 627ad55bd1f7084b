package dev.leakproof.corpus.holdout2;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictDecompress;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decompresses one small payload per iteration with the zstd dictionary of the tenant it belongs to. Each tenant's
 * {@link ZstdDictDecompress} (an 8 KiB raw-content dictionary) is built on the tenant's first message and cached in
 * a map that is never evicted nor closed; a new tenant arrives every 4,000 iterations. zstd-jni's
 * {@code ZSTD_createDDict} copies the dictionary and allocates the decoder's entropy tables in native memory (about
 * 36 KB a dictionary by construction: the 8 KiB copy plus the ~27 KB {@code ZSTD_DDict} struct), so ~9 B per
 * iteration of native memory stays held by dictionaries that are reachable from the map, hence never finalized —
 * a native leak, in big steps (one per tenant).
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 9,
        culprit = "zstd|ZSTD|DDict|malloc", userFrame = "ZstdDictionaryPerTenant", library = "zstd-jni",
        flags = "--native-culprits",
        summary = "a zstd-jni ZstdDictDecompress per tenant (every 4,000 iterations) cached forever, never closed")
public final class ZstdDictionaryPerTenant implements Runnable, AutoCloseable {
    private final Toil toil = new Toil();
    private final Map<Long, ZstdDictDecompress> dictionaries = new HashMap<>();
    private final byte[] frame;
    private final byte[] out = new byte[2048];
    private long calls;
    private long decoded;

    /** Compresses the payload every tenant sends (a frame that needs no dictionary, so any one decodes it). */
    public ZstdDictionaryPerTenant() {
        frame = Zstd.compress(("{\"order\":42,\"lines\":[{\"sku\":\"A-100\",\"qty\":3},{\"sku\":\"B-7\",\"qty\":1}]}"
                .repeat(6)).getBytes(StandardCharsets.US_ASCII), 3);
    }

    @Override
    public void run() {
        toil.request();
        long tenant = calls++ / 4_000;
        ZstdDictDecompress dict = dictionaries.computeIfAbsent(tenant, ZstdDictionaryPerTenant::dictionaryOf);
        long n = Zstd.decompressFastDict(out, 0, frame, 0, frame.length, dict);
        if (Zstd.isError(n)) {
            throw new IllegalStateException("zstd: " + Zstd.getErrorName(n));
        }
        decoded += n;
    }

    private static ZstdDictDecompress dictionaryOf(long tenant) {
        byte[] content = new byte[8 * 1024];
        byte[] words = ("tenant" + tenant + " order sku qty lines price ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < content.length; i++) {
            content[i] = words[i % words.length];
        }
        return new ZstdDictDecompress(content);
    }

    @Override
    public void close() {
        dictionaries.values().forEach(ZstdDictDecompress::close);
    }
}
