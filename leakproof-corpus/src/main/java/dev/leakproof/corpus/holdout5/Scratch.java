package dev.leakproof.corpus.holdout5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories of the cases that keep files (SQLite and RocksDB databases), removed at close. */
final class Scratch {
    private Scratch() {
    }

    /**
     * @param prefix the directory name's prefix, which the descriptor culprits of the file cases name
     * @return a new empty directory under the system's temporary directory
     * @throws IOException if it cannot be made
     */
    static Path directory(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /**
     * Deletes a directory and everything in it, deepest first.
     *
     * @param dir the directory
     * @throws IOException if a file cannot be deleted
     */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
