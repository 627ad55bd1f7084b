package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A replica that reads a log by segments through {@link AsynchronousFileChannel}s: it opens a channel per segment
 * and caches it in a map by segment number so later reads can reuse it, reads 64 bytes per iteration from the
 * current segment (waiting on the read's {@code Future}), and rolls to a new segment file every 600 iterations. The
 * cache is never trimmed and no channel is ever closed: one open descriptor every 600 iterations, without bound, a
 * slow descriptor leak. (The JDK's asynchronous channels on Linux keep no cleaner that would close a dropped channel;
 * these are not dropped anyway.)
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 600, culprit = "holdout6-segments|segment-|\\.log",
        userFrame = "AsyncFileChannelPerSegmentKept",
        summary = "an AsynchronousFileChannel per log segment (every 600 iterations), cached, never closed")
public final class AsyncFileChannelPerSegmentKept implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Path dir;
    private final Map<Long, AsynchronousFileChannel> bySegment = new HashMap<>();
    private final ByteBuffer into = ByteBuffer.allocate(64);
    private final byte[] segmentBody = new byte[4096];
    private long calls;
    private long read;

    /** @throws IOException if the segment directory cannot be made */
    public AsyncFileChannelPerSegmentKept() throws IOException {
        dir = Workdir.make("holdout6-segments-");
        for (int i = 0; i < segmentBody.length; i++) {
            segmentBody[i] = (byte) (i * 31);
        }
    }

    @Override
    public void run() {
        grind.once();
        long segment = calls / 600;
        try {
            AsynchronousFileChannel ch = bySegment.get(segment);
            if (ch == null) {
                Path file = dir.resolve("segment-" + segment + ".log");
                Files.write(file, segmentBody);
                ch = AsynchronousFileChannel.open(file, StandardOpenOption.READ);
                bySegment.put(segment, ch);
            }
            into.clear();
            read += ch.read(into, (calls * 64) % segmentBody.length).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading segment " + segment, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading segment " + segment, e);
        }
        calls++;
    }

    @Override
    public void close() throws IOException {
        for (AsynchronousFileChannel ch : bySegment.values()) {
            ch.close();
        }
        bySegment.clear();
        Workdir.delete(dir);
    }
}
