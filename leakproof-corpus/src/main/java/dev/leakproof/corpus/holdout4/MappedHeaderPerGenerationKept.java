package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An index that maps its 4 KiB header page once per generation: every 512 iterations the index "reopens", maps the
 * header of its file read-write with {@link FileChannel#map}, closes the channel (a mapping needs no descriptor),
 * writes the generation into the page and keeps the mapping in its list of generations for readers that might
 * still use them. Nothing ever drops an old generation, and a mapping is unmapped only when its buffer is
 * collected: 4 KiB of mapped memory (and one more entry in the process' map table, whose limit is 65,530 by
 * default) per 512 iterations, 8 B per iteration, never unmapped. Each iteration reads the newest header.
 */
@Expect(verdict = Truth.LEAK, probe = "mapped", perIteration = 8,
        culprit = "mapped|MappedByteBuffer|index\\.hdr|holdout4-index", userFrame = "MappedHeaderPerGenerationKept",
        summary = "a 4 KiB FileChannel.map of the index header every 512 iterations, every generation kept")
public final class MappedHeaderPerGenerationKept implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Path dir;
    private final Path file;
    private final List<MappedByteBuffer> generations = new ArrayList<>();
    private long calls;
    private long acc;

    /**
     * Makes the index file.
     *
     * @throws IOException if it cannot be made
     */
    public MappedHeaderPerGenerationKept() throws IOException {
        dir = Files.createTempDirectory("holdout4-index-");
        file = Files.write(dir.resolve("index.hdr"), new byte[4096]);
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 512 == 0) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer header = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                header.putLong(0, calls / 512);
                generations.add(header);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        acc += generations.getLast().getLong(0);
        calls++;
    }

    @Override
    public void close() throws IOException {
        generations.clear();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }
}
