package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * An upload handler that makes a snappy-java {@link SnappyFramedOutputStream} (16 KiB blocks) per upload, a new
 * upload every 200 iterations, writes one 256-byte chunk per iteration and flushes, and then drops the stream without
 * {@code close()}. The stream's two direct buffers (36,864 bytes together, as measured) therefore never go back
 * to snappy-java's pool, and every upload allocates two new ones: about 180 bytes of direct memory per iteration
 * become garbage. Each iteration also builds a 2 KiB request object, as a handler does, so young collections come often,
 * and each collection lets the JDK's cleaners free the dropped buffers. Direct memory saws up and down with the
 * collections, bounded: no leak (a missed {@code close()} that costs pool reuse, not memory).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "direct", library = "snappy-java",
        summary = "a SnappyFramedOutputStream per upload (every 200 iterations) dropped unclosed; cleaners free its buffers")
public final class SnappyFramedStreamsDroppedUnclosed implements Runnable {
    private final Grind grind = new Grind();
    private final SnappyFramedStreamPerTopicKept.Discard wire = new SnappyFramedStreamPerTopicKept.Discard();
    private final byte[] chunk = new byte[256];
    private SnappyFramedOutputStream upload;
    private long calls;
    private long seen;

    /** No upload yet. */
    public SnappyFramedStreamsDroppedUnclosed() {
    }

    @Override
    public void run() {
        grind.once();
        byte[] request = new byte[2048]; // the request as parsed; garbage after the call
        request[calls % 2048 == 0 ? 0 : 1] = (byte) calls;
        seen += request.length;
        try {
            if (calls++ % 200 == 0) {
                upload = new SnappyFramedOutputStream(wire, 16 * 1024, 0.85); // the last upload's stream is dropped
            }
            chunk[0] = (byte) calls;
            upload.write(chunk);
            upload.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
