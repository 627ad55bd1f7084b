package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hang at JVM exit of docs/kv.md: a Java upcall made on a RocksDB background thread attaches that thread to
 * the JVM, and at exit RocksDB's static teardown joins it while it waits forever to detach from the exiting VM.
 * Each case runs the work in a child JVM and bounds the wait for it to exit (generously: a JVM start and a flush
 * take well under a second; a hung one never exits).
 */
class ExitAfterBackgroundWorkTest {
    private static final long EXIT_BOUND_SECONDS = 60;

    @TempDir
    Path dir;

    static List<String> run(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ExitsAfterBackgroundWork.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            if (!child.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS)) {
                String said = new String(child.getInputStream().readNBytes(child.getInputStream().available()), UTF_8);
                fail("the child JVM did not exit within " + EXIT_BOUND_SECONDS + " s of the end of its work (it said: "
                        + said.strip().replace('\n', '|') + ")");
            }
            List<String> lines = new String(child.getInputStream().readAllBytes(), UTF_8).lines().toList();
            assertEquals(0, child.exitValue(), "exit status; output " + lines);
            return lines;
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aProcessThatFlushedWithAddsPendingExitsInsteadOfHangingInRocksDbTeardown() throws Exception {
        List<String> out = run(dir.resolve("db").toString(), "close", "System.exit");
        assertEquals(List.of("n=100", "exiting by System.exit"), out);
        try (Cluster c = Cluster.open(dir.resolve("db"))) {
            assertEquals(100, c.integer("n").get(), "the flushed sum is read back");
        }
    }

    @Test
    void aProcessThatFlushedAndNeverClosedItsClusterExits() throws Exception {
        List<String> out = run(dir.resolve("db").toString(), "leave-open", "System.exit");
        assertEquals(List.of("n=100", "exiting by System.exit"), out);
        assertTrue(Files.exists(dir.resolve("db").resolve("CURRENT")));
    }

    @Test
    void aProcessThatFlushedExitsWhenMainReturns() throws Exception {
        List<String> out = run(dir.resolve("db").toString(), "close", "return");
        assertEquals(List.of("n=100", "exiting by return"), out);
    }

    @Test
    void aProcessThatMadeACheckpointExits() throws Exception {
        Path copy = dir.resolve("copy");
        List<String> out = run(dir.resolve("db").toString(), "close", "System.exit", copy.toString());
        assertEquals(List.of("n=100", "exiting by System.exit"), out);
        try (Cluster c = Cluster.open(copy)) {
            assertEquals(100, c.integer("n").get());
        }
    }
}
