package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The right way to keep segment readers: a segment is written every 400 iterations, reads go to the newest 6
 * segments, and go through a cache of at most 6 open {@link RandomAccessFile}s kept in the order they were opened
 * (so by segment number); the eldest reader is closed when a seventh is opened, and its segment, now older than
 * the newest 6, is deleted. Open descriptors rise
 * to 6 by call 2,400 and stay there while a new file is opened and an old one closed every 400 iterations:
 * bounded, not a leak; the {@code fds} probe moves. Each iteration reads a record from one of the live segments.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds",
        summary = "a new segment file every 400 iterations, read through a cache of 6 open readers (eldest closed)")
public final class SegmentReadersCappedAtSix implements Runnable, AutoCloseable {
    private static final int OPEN = 6;
    private final Mill mill = new Mill();
    private final Path dir;
    private final Map<Long, RandomAccessFile> readers = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, RandomAccessFile> eldest) {
            if (size() <= OPEN) {
                return false;
            }
            try {
                eldest.getValue().close();
                Files.deleteIfExists(segment(eldest.getKey()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }
    };
    private long calls;
    private long acc;

    /**
     * Makes the segment directory.
     *
     * @throws IOException if it cannot be made
     */
    public SegmentReadersCappedAtSix() throws IOException {
        dir = Files.createTempDirectory("holdout4-segments-");
    }

    @Override
    public void run() {
        mill.once();
        long newest = calls / 400;
        try {
            if (calls % 400 == 0) {
                byte[] data = new byte[4096];
                data[0] = (byte) newest;
                Files.write(segment(newest), data);
            }
            long seg = Math.max(0, newest - (calls % OPEN));
            RandomAccessFile r = readers.get(seg);
            if (r == null) {
                r = new RandomAccessFile(segment(seg).toFile(), "r");
                readers.put(seg, r);
            }
            r.seek((calls * 8) % 4088);
            acc += r.readLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls++;
    }

    private Path segment(long n) {
        return dir.resolve("segment-" + n + ".dat");
    }

    @Override
    public void close() throws IOException {
        for (RandomAccessFile r : readers.values()) {
            r.close();
        }
        readers.clear();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
