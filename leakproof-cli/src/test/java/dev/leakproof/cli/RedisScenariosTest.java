package dev.leakproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The soak scenarios on the Redis Cluster backend ({@code --cluster}), against the local cluster of
 * {@code scripts/redis-cluster.sh} (started here when it is not up; skipped only when the script cannot install
 * Redis on this machine): the post's loop is NO_LEAK, and the post's leaks that exist on Redis are each a LEAK
 * whose first tracked culprit is the driver line that allocates what is never released.
 */
class RedisScenariosTest {
    static String uri;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() throws Exception {
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/redis-cluster.sh"))) {
                script = d.resolve("scripts/redis-cluster.sh");
            }
        }
        assertTrue(script != null, "scripts/redis-cluster.sh above " + Path.of("").toAbsolutePath());
        Process p = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "redis-cluster.sh start finished");
        Assumptions.assumeTrue(p.exitValue() != 3, () -> "Redis Cluster scenarios skipped: " + err);
        assertEquals(0, p.exitValue(), err);
        uri = out.lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void thePostsLoopOnRedisClusterIsNoLeak() throws Exception {
        Path json = dir.resolve("tag-entries.json");
        Cli r = Cli.run("soak", "--scenario", "tag-entries", "--cluster", uri, "--max-duration", "90s", "--report",
                dir.resolve("tag-entries.html").toString(), "--json", json.toString());
        assertEquals(Main.NO_LEAK, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("tag-entries on Redis Cluster"), r.out());
        assertTrue(Files.readString(json).contains("\"culprits\": []"), "no culprit: " + r.out());
    }

    @ParameterizedTest(name = "{0} --leaky --cluster names {2} at {3}")
    @CsvSource({
        "post-callback-handle, 8000, handle,          dev.leakproof.kv.Cluster.async(",
        "post-native-result,   8000, hiredis-reply,   dev.leakproof.kv.internal.redis.Connection.take(",
        "post-open-close,      150,  hiredis-context, dev.leakproof.kv.internal.redis.Connection.open(",
    })
    void leakyOnRedisIsALeakWithTheRightCulpritFirst(String scenario, String iterations, String kind, String site)
            throws Exception {
        Path json = dir.resolve(scenario + ".json");
        List<String> args = new ArrayList<>(List.of("soak", "--scenario", scenario, "--cluster", uri, "--leaky",
                // every site recorded from the start (the soak's default, COUNTED, records one in 128 and leaves
                // slow sites to the culprit pass, which --no-culprits skips)
                "--iterations", iterations, "--samples", "16", "--no-culprits", "--tracking", "full", "--report",
                dir.resolve(scenario + ".html").toString(), "--json", json.toString()));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(Main.LEAK, r.status(), r.out() + r.err());
        String report = Files.readString(json);
        int culprits = report.indexOf("\"culprits\": [");
        int first = report.indexOf("{\n      \"probe\": \"tracked\"", culprits);
        assertTrue(culprits > 0 && first > 0, "a culprit of the tracked probe: " + report);
        String top = report.substring(first, Math.min(report.length(), report.indexOf('}', first)));
        assertTrue(top.contains("\"kind\": \"" + kind + "\""), top);
        assertTrue(top.contains("\"site\": \"" + site), top);
    }

    @ParameterizedTest(name = "{0} --cluster without --leaky is NO_LEAK")
    @CsvSource({"post-callback-handle, auto", "post-native-result, auto", "post-open-close, 600"})
    void fixedOnRedisIsNoLeak(String scenario, String iterations) throws Exception {
        Path json = dir.resolve(scenario + ".json");
        List<String> args = new ArrayList<>(List.of("soak", "--scenario", scenario, "--cluster", uri, "--report",
                dir.resolve(scenario + ".html").toString(), "--json", json.toString()));
        args.addAll(iterations.equals("auto") ? List.of("--max-duration", "90s")
                : List.of("--iterations", iterations, "--samples", "24", "--min-leak", "1KiB"));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(Main.NO_LEAK, r.status(), r.out() + r.err());
    }

    @Test
    void aScenarioOfRocksDbOnlyCodeHasNoClusterVariant() {
        Cli r = Cli.run("soak", "--scenario", "post-iterator", "--cluster", uri);
        assertEquals(Main.USAGE, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("no --cluster variant"), r.err());
    }
}
