package dev.leakproof.corpus.cases;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Every 100 iterations compresses a 4 KiB message with a new zstd-jni {@link ZstdCompressCtx} and drops it without
 * {@code close()}. zstd-jni registers no cleaner for a context, so the native {@code ZSTD_CCtx} and the workspace
 * it sized on first use stay malloc'd forever: about 90 KB per context at level 3 for this message, so about
 * 900 bytes per iteration, without bound: a native leak.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 900, culprit = "zstd|ZSTD",
        userFrame = "ZstdCompressCtxNotClosed\\.run", library = "zstd-jni", flags = "--native-culprits",
        summary = "a zstd-jni ZstdCompressCtx every 100 iterations, used, never closed")
public final class ZstdCompressCtxNotClosed implements Runnable {
    private final Work work = new Work();
    private final byte[] message = Messages.text(4096);
    private long calls;
    private long compressedBytes;

    /** Creates the case. */
    public ZstdCompressCtxNotClosed() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 100 == 0) {
            ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(3);
            compressedBytes += ctx.compress(message).length;
        }
    }
}
