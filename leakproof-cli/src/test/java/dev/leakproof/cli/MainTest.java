package dev.leakproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.cli.fixtures.CleanRunnable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "frobnicate|unknown command 'frobnicate'",
        "soak|give exactly one of --scenario NAME or --class FQCN",
        "soak --scenario tag-entries --class x.Y|give exactly one of --scenario NAME or --class FQCN",
        "soak --scenario nope|no scenario named 'nope'",
        "soak --scenario blob-get --leaky|scenario 'blob-get' has no leaky variant",
        "soak --scenario blob-get --iterations ten|--iterations expects a whole number, got 'ten'",
        "soak --scenario blob-get --iterations 0|--iterations must be positive",
        "soak --scenario blob-get --duration soon|--duration expects a time such as 30s",
        "soak --scenario blob-get --duration 10s --iterations 5|give --iterations or --duration, not both",
        "soak --scenario blob-get --samples 3|samples must be at least 8",
        "soak --scenario blob-get --bogus|unknown option '--bogus'",
        "soak --scenario|--scenario needs a value",
        "soak --class dev.leakproof.cli.fixtures.NotRunnable|does not implement Runnable",
        "soak --class com.example.Missing|class 'com.example.Missing' not found",
        "soak --class x.Y --cp /does/not/exist|--cp entry '/does/not/exist' does not exist",
        "scenarios extra|'scenarios' takes no arguments",
    })
    void badUsageExitsWithTwoAndSaysWhatIsWrong(String args, String message) {
        Cli r = Cli.run(args.split(" "));
        assertEquals(Main.USAGE, r.status(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.err().contains("leakproof --help"), r.err());
    }

    @Test
    void noArgumentsPrintsUsageAndExitsWithTwo() {
        Cli r = Cli.run();
        assertEquals(2, r.status());
        assertTrue(r.err().contains("usage: leakproof scenarios"));
        assertEquals(0, Cli.run("--help").status());
    }

    @Test
    void scenariosAreListedOneLineEach() {
        Cli r = Cli.run("scenarios");
        assertEquals(0, r.status());
        for (String name : new String[] {"tag-entries", "blob-get", "blob-put-remove", "integer-add", "deque-push-pop",
            "mixed", "post-callback-handle", "post-work-item", "post-native-result", "post-iterator",
            "post-open-close"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(name + " ")), name + " in\n" + r.out());
        }
    }

    @Test
    void aLeakyClassExitsWithOneAndNamesItsSite() throws Exception {
        Path json = dir.resolve("r.json");
        Cli r = Cli.run("soak", "--class", "dev.leakproof.cli.fixtures.LeakyRunnable", "--iterations", "8000",
                "--samples", "16", "--warmup", "500", "--report", dir.resolve("r.html").toString(), "--json",
                json.toString());
        assertEquals(Main.LEAK, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("LeakyRunnable.run"), r.out());
        assertTrue(Files.readString(json).contains("\"verdict\": \"LEAK\""));
        assertTrue(Files.readString(dir.resolve("r.html")).contains("<svg"));
        assertTrue(r.out().contains("report: " + dir.resolve("r.html")), r.out());
    }

    @Test
    void aCleanClassExitsWithZeroAndIsClosedAtTheEnd() {
        CleanRunnable.closed = false;
        Cli r = Cli.run("soak", "--class", "dev.leakproof.cli.fixtures.CleanRunnable", "--iterations", "40000",
                "--samples", "20", "--warmup", "5000", "--report", dir.resolve("c.html").toString(), "--quiet");
        assertEquals(Main.NO_LEAK, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("dev.leakproof.cli.fixtures.CleanRunnable: NO_LEAK"), r.out());
        assertTrue(CleanRunnable.closed, "AutoCloseable closed at the end");
    }

    @Test
    void aDurationRunsForThatLong() {
        long start = System.nanoTime();
        Cli r = Cli.run("soak", "--class", "dev.leakproof.cli.fixtures.CleanRunnable", "--duration", "3s",
                "--samples", "10", "--warmup", "100", "--report", dir.resolve("d.html").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 3, "ran " + seconds + " s");
        assertTrue(r.status() == Main.NO_LEAK || r.status() == Main.INCONCLUSIVE, r.out() + r.err());
        assertTrue(r.out().contains("iterations in 3."), r.out());
    }

    @Test
    void durationsParse() {
        assertEquals(java.time.Duration.ofMillis(500), Main.duration("500ms"));
        assertEquals(java.time.Duration.ofMinutes(5), Main.duration("5m"));
        assertEquals(java.time.Duration.ofHours(1), Main.duration("1h"));
        assertEquals(java.time.Duration.ofSeconds(90), Main.duration("PT90S"));
    }
}
