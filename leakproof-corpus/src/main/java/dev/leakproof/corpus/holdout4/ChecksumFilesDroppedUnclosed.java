package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A verifier that reads the 8-byte checksum at the end of a blob file every 100 iterations through a
 * {@link RandomAccessFile} it never closes: the reader is a local and is dropped. Sloppy, but not a leak: since
 * JDK 10 a {@code RandomAccessFile}'s descriptor is registered with the common {@link java.lang.ref.Cleaner}, which
 * closes it once the reader is unreachable, so open descriptors rise between collections and fall back after each
 * one; after a GC and the cleaner's turn nothing is left open. The truth is bounded by the collector; the
 * descriptor count moves (a sawtooth whose height depends on how often the heap is collected).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds",
        summary = "a RandomAccessFile per 100 iterations dropped unclosed; its Cleaner closes it after GC")
public final class ChecksumFilesDroppedUnclosed implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Path dir;
    private final Path blob;
    private long calls;
    private long acc;

    /**
     * Writes the blob.
     *
     * @throws IOException if it cannot be written
     */
    public ChecksumFilesDroppedUnclosed() throws IOException {
        dir = Files.createTempDirectory("holdout4-blobs-");
        byte[] data = new byte[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        blob = Files.write(dir.resolve("blob.bin"), data);
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 100 == 0) {
            acc += checksum();
        }
        calls++;
    }

    private long checksum() {
        try {
            RandomAccessFile f = new RandomAccessFile(blob.toFile(), "r");
            f.seek(f.length() - 8);
            return f.readLong(); // never closed: the reader is simply dropped
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(blob);
        Files.deleteIfExists(dir);
    }
}
