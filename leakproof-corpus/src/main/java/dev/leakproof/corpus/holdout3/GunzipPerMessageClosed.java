package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A consumer that gunzips every incoming message with a new {@link GZIPInputStream} in try-with-resources. Its
 * {@code close()} ends the stream's {@code Inflater}, which frees zlib's inflate state at once: native memory is
 * allocated and freed within each call, and nothing stays. Clean.
 */
@Expect(verdict = Truth.NO_LEAK,
        summary = "a GZIPInputStream per message (4 KiB of text), closed (its Inflater ended)")
public final class GunzipPerMessageClosed implements Runnable {
    private final Grind grind = new Grind();
    private final byte[] message;
    private final byte[] out = new byte[8192];
    private long inflated;

    /** Compresses the sample message once. */
    public GunzipPerMessageClosed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 128; i++) {
                gz.write(("{\"seq\":" + i + ",\"ok\":true}\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        message = bytes.toByteArray();
    }

    @Override
    public void run() {
        grind.once();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
            int n;
            while ((n = in.read(out)) > 0) {
                inflated += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
