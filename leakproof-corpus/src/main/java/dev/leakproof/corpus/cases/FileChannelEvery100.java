package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every 100 iterations opens a {@link FileChannel} on a new segment file, writes a header and keeps the channel
 * in an "open segments" list that nothing ever trims. Open descriptors rise by one per 100 iterations (0.01
 * per iteration): a leak. The list also keeps the channels reachable, so no cleaner can close them behind the
 * case's back.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 100, culprit = "file|reg|corpus-segments",
        userFrame = "FileChannelEvery100\\.run", summary = "a FileChannel opened every 100 iterations, kept open")
public final class FileChannelEvery100 implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final Path dir;
    private final List<FileChannel> openSegments = new ArrayList<>();
    private final ByteBuffer header = ByteBuffer.allocate(16);
    private long calls;

    /** @throws IOException if the temporary directory cannot be made */
    public FileChannelEvery100() throws IOException {
        dir = Files.createTempDirectory("corpus-segments-");
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 100 == 0) {
            try {
                FileChannel ch = FileChannel.open(dir.resolve("segment-" + openSegments.size()),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                header.clear().putLong(calls).putLong(work.sink()).flip();
                ch.write(header);
                openSegments.add(ch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : openSegments) {
            ch.close();
        }
        Cleanup.deleteTree(dir);
    }
}
