package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Every 100 iterations decompresses a message with a fresh {@link Inflater} and drops it without calling
 * {@link Inflater#end()} (the mistake the javadoc warns about). Since JDK 9 an inflater registers its native zlib
 * stream with a {@link java.lang.ref.Cleaner}: once the dropped inflater is unreachable and a GC has seen it, the
 * cleaner frees the ~40 KB of native state and window. Native memory rises between collections (up to ~400 B per
 * iteration of garbage in malloc) and falls back after each: a sawtooth bounded by the GC interval, not a leak
 * (slow to free, not leaked).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs",
        summary = "a java.util.zip.Inflater per 100 iterations, dropped without end() (freed by its Cleaner)")
public final class InflaterDroppedNotEnded implements Runnable {
    private final Busy busy = new Busy();
    private final byte[] message;
    private final byte[] out = new byte[4096];
    private Inflater inflater;
    private long calls;
    private long bytes;

    /** Compresses the message once. */
    public InflaterDroppedNotEnded() {
        byte[] plain = "{\"event\":\"click\",\"page\":\"/cart\",\"user\":12345,\"ts\":1700000000}".repeat(8)
                .getBytes(StandardCharsets.US_ASCII);
        Deflater d = new Deflater();
        try {
            d.setInput(plain);
            d.finish();
            byte[] buf = new byte[1024];
            message = Arrays.copyOf(buf, d.deflate(buf));
        } finally {
            d.end();
        }
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 100 == 1) {
            inflater = new Inflater();        // the previous one is dropped, never ended
        }
        inflater.reset();
        inflater.setInput(message);
        try {
            bytes += inflater.inflate(out);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
