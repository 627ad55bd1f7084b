package dev.leakproof.corpus.cases;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * Every 10 iterations compresses a 4 KiB message with a new zstd-jni {@link ZstdCompressCtx} closed by
 * try-with-resources, which frees the native context and its workspace. Native memory churns and stays flat: not
 * a leak (the twin of {@link ZstdCompressCtxNotClosed}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "zstd-jni",
        summary = "a zstd-jni ZstdCompressCtx every 10 iterations, closed")
public final class ZstdContextsClosed implements Runnable {
    private final Work work = new Work();
    private final byte[] message = Messages.text(4096);
    private long calls;
    private long compressedBytes;

    /** Creates the case. */
    public ZstdContextsClosed() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 10 == 0) {
            try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
                compressedBytes += ctx.setLevel(3).compress(message).length;
            }
        }
    }
}
