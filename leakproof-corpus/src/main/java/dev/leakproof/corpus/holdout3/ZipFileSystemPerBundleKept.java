package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A resource server that mounts a zip bundle as a {@link FileSystem} ({@code FileSystems.newFileSystem}) to serve
 * files from it. It mounts the bundle again every 400 iterations (a "refresh") and keeps every mount in a list,
 * closing none. Each {@code ZipFileSystem} holds its own open channel on the zip file, so each mount keeps one
 * descriptor: 1 per 400 iterations, 0.0025 per iteration, never closed — a descriptor leak (with the mount's
 * central-directory copy on the heap). Each iteration reads a small entry from the newest mount.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 400,
        culprit = "holdout3-bundles|bundle\\.zip|zipfs|ZipFileSystem", userFrame = "ZipFileSystemPerBundleKept",
        summary = "FileSystems.newFileSystem on a zip bundle every 400 iterations, every mount kept open")
public final class ZipFileSystemPerBundleKept implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Path dir;
    private final Path bundle;
    private final List<FileSystem> mounts = new ArrayList<>();
    private long calls;
    private long served;

    /**
     * Writes a small zip bundle to a new temporary directory.
     *
     * @throws IOException if the bundle cannot be written
     */
    public ZipFileSystemPerBundleKept() throws IOException {
        dir = Files.createTempDirectory("holdout3-bundles-");
        bundle = dir.resolve("bundle.zip");
        try (FileSystem zip = FileSystems.newFileSystem(bundle, Map.of("create", "true"))) {
            for (int i = 0; i < 8; i++) {
                Files.writeString(zip.getPath("/page-" + i + ".html"), "<p>page " + i + "</p>\n".repeat(20),
                        StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public void run() {
        grind.once();
        try {
            if (calls++ % 400 == 0) {
                mounts.add(FileSystems.newFileSystem(bundle, Map.of()));
            }
            FileSystem newest = mounts.get(mounts.size() - 1);
            served += Files.size(newest.getPath("/page-" + (calls % 8) + ".html"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (FileSystem fs : mounts) {
            fs.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
