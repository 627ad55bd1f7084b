package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * A log shipper that keeps one snappy-java {@link SnappyFramedOutputStream} per topic, in a map by topic name, and
 * writes and flushes one 256-byte record per iteration to the current topic. The topic name carries the hour it
 * started, so a new topic (and a new stream) begins every 2,000 iterations; the old topic's stream is never closed
 * nor removed from the map. Each stream takes two direct buffers from snappy-java's default buffer pool (its 64 KiB
 * input block and a 76,490-byte output block, {@code maxCompressedLength(65536)}) and gives them back only on
 * {@code close()}, so every topic's buffers stay, without bound. First written as 142,026 bytes (the two sizes asked),
 * 71 bytes per iteration; measured 73.73 bytes of direct memory per iteration in every interval, 147,456 bytes per
 * topic (the pool's sizes), so the truth is 73.7. The stream's heap side (33 B per iteration) is kept too.
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 73.7, culprit = "direct|ByteBuffer|snappy",
        userFrame = "SnappyFramedStreamPerTopicKept", library = "snappy-java",
        summary = "a SnappyFramedOutputStream per topic (a new topic every 2,000 iterations), kept in a map, never closed")
public final class SnappyFramedStreamPerTopicKept implements Runnable, AutoCloseable {
    private static final String LINE = "level=INFO msg=\"order accepted\" shard=7 ";
    private final Grind grind = new Grind();
    private final Map<String, SnappyFramedOutputStream> byTopic = new HashMap<>();
    private final byte[] record = new byte[256];
    private final Discard wire = new Discard();
    private long calls;

    /** No topic yet. */
    public SnappyFramedStreamPerTopicKept() {
        for (int i = 0; i < record.length; i++) {
            record[i] = (byte) LINE.charAt(i % LINE.length());
        }
    }

    @Override
    public void run() {
        grind.once();
        String topic = "orders-hour-" + (calls++ / 2_000);
        try {
            SnappyFramedOutputStream out = byTopic.get(topic);
            if (out == null) {
                out = new SnappyFramedOutputStream(wire);
                byTopic.put(topic, out);
            }
            record[0] = (byte) calls;
            out.write(record);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (SnappyFramedOutputStream out : byTopic.values()) {
            out.close();
        }
        byTopic.clear();
    }

    /** The shipper's socket: counts and discards what it is given. */
    static final class Discard extends OutputStream {
        private long written;

        @Override
        public void write(int b) {
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            written += len;
        }
    }
}
