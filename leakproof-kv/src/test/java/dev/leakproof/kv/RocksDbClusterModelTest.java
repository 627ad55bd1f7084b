package dev.leakproof.kv;

import dev.leakproof.kv.model.ClusterModelContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The model-based test on the embedded RocksDB backend: one directory per try. */
class RocksDbClusterModelTest extends ClusterModelContract {
    private static Path root;

    @BeforeAll
    static void makeRoot() throws IOException {
        root = Files.createTempDirectory("kv-model-");
    }

    @AfterAll
    static void removeRoot() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    protected Cluster open(String namespace, InstantSource clock) {
        try {
            return Cluster.open(Files.createDirectories(root.resolve(namespace)),
                    ClusterOptions.defaults().withClock(clock).withWorkerThreads(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
