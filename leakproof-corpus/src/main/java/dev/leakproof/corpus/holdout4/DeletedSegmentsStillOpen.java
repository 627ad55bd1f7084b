package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A log that rolls to a new segment every 500 iterations. Each segment gets a tail reader, a
 * {@link RandomAccessFile}, kept in a list of readers; retention deletes every segment but the newest two, but the
 * retention code deletes the file and forgets to close (and remove) its reader. On Linux a deleted file stays open
 * through its descriptor, so one descriptor per 500 iterations, 0.002 per iteration, stays open on a deleted file
 * ({@code lsof} shows them as "(deleted)"), and the disk space with it. Each iteration appends a record to the
 * newest segment and reads the tail through its reader.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 500,
        culprit = "holdout4-log|segment-|deleted|RandomAccessFile", userFrame = "DeletedSegmentsStillOpen",
        summary = "a RandomAccessFile tail reader per log segment (every 500 iterations); retention deletes, never closes")
public final class DeletedSegmentsStillOpen implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Path dir;
    private final List<RandomAccessFile> readers = new ArrayList<>();
    private final List<Path> segments = new ArrayList<>();
    private long calls;
    private long acc;

    /**
     * Makes the log directory.
     *
     * @throws IOException if it cannot be made
     */
    public DeletedSegmentsStillOpen() throws IOException {
        dir = Files.createTempDirectory("holdout4-log-");
    }

    @Override
    public void run() {
        mill.once();
        try {
            if (calls % 500 == 0) {
                roll();
            }
            Path newest = segments.getLast();
            Files.write(newest, longBytes(mill.sink()), java.nio.file.StandardOpenOption.APPEND);
            RandomAccessFile tail = readers.getLast();
            long len = tail.length();
            if (len >= 8) {
                tail.seek(len - 8);
                acc += tail.readLong();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls++;
    }

    private void roll() throws IOException {
        Path seg = Files.createFile(dir.resolve("segment-" + (calls / 500) + ".log"));
        segments.add(seg);
        readers.add(new RandomAccessFile(seg.toFile(), "r"));
        if (segments.size() > 2) {
            // retention: the file goes, its reader is forgotten (neither closed nor removed)
            Files.delete(segments.removeFirst());
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        for (RandomAccessFile r : readers) {
            r.close();
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
