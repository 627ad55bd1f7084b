package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every 200 iterations looks for the segment file to append to by listing a directory of 8 segments with
 * {@link Files#newDirectoryStream(Path, String)} and returning from inside the loop as soon as it finds a match,
 * without try-with-resources, so the stream is never closed, only dropped. A directory stream holds an open
 * directory ({@code fdopendir}) and, on Linux, a second descriptor of the same directory (a {@code dup} kept for
 * its secure-directory-stream operations), and unlike channels it has no cleaner: dropping it does not close it,
 * not even after GC. Open descriptors rise by two every 200 iterations (0.01 per iteration; first written as one
 * per stream, corrected after counting them without leakproof), without bound: a descriptor leak (glibc's directory buffer, ~32 KB per stream, leaks with it in native memory).
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 100, culprit = "holdout-segments",
        userFrame = "DirectoryStreamNotClosed",
        summary = "Files.newDirectoryStream every 200 iterations, early return from the loop, never closed")
public final class DirectoryStreamNotClosed implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final Path dir;
    private long calls;
    private long found;

    /** @throws IOException if the segment directory cannot be made */
    public DirectoryStreamNotClosed() throws IOException {
        dir = Files.createTempDirectory("holdout-segments-");
        for (int i = 0; i < 8; i++) {
            Files.writeString(dir.resolve("segment-" + i + ".seg"), "segment " + i);
        }
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 200 == 0) {
            Path p = firstSegment();
            if (p != null) {
                found++;
            }
        }
    }

    private Path firstSegment() {
        try {
            DirectoryStream<Path> segments = Files.newDirectoryStream(dir, "*.seg");
            for (Path p : segments) {
                return p;           // the bug: the stream is left open
            }
            segments.close();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
