package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A log writer that compresses each segment with a {@link GZIPOutputStream} over an in-memory buffer. Each
 * iteration appends a line to the current segment; every 1,000 iterations the segment is rotated: its stream is
 * {@code finish()}ed (the gzip trailer is written) and kept, with its buffer, in a map of sealed segments for
 * later upload. {@code finish()} does not end the stream's {@code Deflater}; only {@code close()} does, and it is
 * never called. Each sealed segment therefore keeps zlib's deflate state (its window, hash chains and pending
 * buffer, about 256 KiB at the default level, allocated natively by {@code deflateInit2}) reachable for ever: a
 * native leak of roughly 270 B per iteration, plus a few hundred bytes of compressed output per segment on the heap.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 270,
        culprit = "deflate|zlib|libz|Deflater|GZIP", userFrame = "GzipSegmentsFinishedNotClosed",
        flags = "--native-culprits",
        summary = "a GZIPOutputStream per log segment (every 1,000 iterations) finish()ed, kept, never closed")
public final class GzipSegmentsFinishedNotClosed implements Runnable {
    private final Grind grind = new Grind();
    private final Map<Long, Segment> sealed = new LinkedHashMap<>();
    private Segment current;
    private long calls;

    private record Segment(ByteArrayOutputStream bytes, GZIPOutputStream gzip) {
        static Segment open() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            try {
                return new Segment(bytes, new GZIPOutputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The first segment opens on the first call. */
    public GzipSegmentsFinishedNotClosed() {
    }

    @Override
    public void run() {
        grind.once();
        try {
            if (calls % 1_000 == 0) {
                if (current != null) {
                    current.gzip().finish();
                    sealed.put(calls / 1_000, current);
                }
                current = Segment.open();
            }
            calls++;
            current.gzip().write(("GET /v1/items/" + (calls % 97) + " 200\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
