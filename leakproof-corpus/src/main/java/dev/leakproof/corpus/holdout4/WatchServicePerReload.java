package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * A configuration holder that re-arms its file watch on every reload: every 1,000 iterations it makes a new
 * {@link WatchService}, registers the configuration directory, and replaces its field with the new service without
 * closing the old one. On Linux a watch service holds an inotify descriptor and a socket pair to wake its
 * background thread, and the thread keeps the service reachable until {@code close()}: three descriptors (and a
 * thread) per 1,000 iterations, 0.003 descriptors per iteration, never closed. Each iteration polls the newest
 * service for changes.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 3.0 / 1000,
        culprit = "inotify|socket|anon_inode|WatchService", userFrame = "WatchServicePerReload",
        summary = "a new WatchService per config reload (every 1,000 iterations), the old one never closed")
public final class WatchServicePerReload implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Path dir;
    private WatchService watcher;
    private long calls;
    private long events;

    /**
     * Makes the configuration directory.
     *
     * @throws IOException if it cannot be made
     */
    public WatchServicePerReload() throws IOException {
        dir = Files.createTempDirectory("holdout4-config-");
    }

    @Override
    public void run() {
        mill.once();
        try {
            if (calls % 1000 == 0) {
                // the bug: the old service is replaced, not closed
                watcher = FileSystems.getDefault().newWatchService();
                dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY);
            }
            WatchKey key = watcher.poll();
            if (key != null) {
                events += key.pollEvents().size();
                key.reset();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls++;
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
        Files.deleteIfExists(dir);
    }
}
