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

/**
 * Opens a {@link FileChannel} on one of 16 files on every iteration, writes a 16-byte record and closes it with
 * try-with-resources. Descriptors come and go: not a leak (the twin of {@link FileChannelEvery100}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds", summary = "a FileChannel opened, written and closed every iteration")
public final class FileChannelsClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final Path dir;
    private final ByteBuffer record = ByteBuffer.allocate(16);
    private long calls;

    /** @throws IOException if the temporary directory cannot be made */
    public FileChannelsClosed() throws IOException {
        dir = Files.createTempDirectory("corpus-closed-");
    }

    @Override
    public void run() {
        work.request();
        long n = ++calls;
        try (FileChannel ch = FileChannel.open(dir.resolve("f" + (n & 15)), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ch.write(record.clear().putLong(n).putLong(~n).flip(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Cleanup.deleteTree(dir);
    }
}
