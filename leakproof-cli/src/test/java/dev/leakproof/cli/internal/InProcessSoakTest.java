package dev.leakproof.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakproof.soak.SoakOptions;
import dev.leakproof.soak.SoakResult;
import dev.leakproof.soak.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InProcessSoakTest {
    @Test
    void quietPrintsTheVerdictLineWhatStayedUndecidedAndWhereTheReportsWent() {
        String advice = """
                native-libs: slope 2.7 B/iteration, interval [-0.24 B, 44.6 B] reaches above the floor of 4.4 B/iteration
                Undecided after a fixed run of 8,000 iterations: leave out --iterations so the run extends itself""";
        SoakResult result = new SoakResult("post-work-item", Verdict.INCONCLUSIVE, 8_000, Duration.ofSeconds(2),
                SoakOptions.defaults().withIterations(8_000), List.of(), List.of(),
                new SoakResult.NativeCulprits("off", "not requested", null), advice, List.of());
        SoakCommand.Plan plan = new SoakCommand.Plan("post-work-item", null, false, null, null, result.options(),
                Path.of("r.html"), Path.of("out/r.json"), true, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InProcessSoak.print(result, plan, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                post-work-item: INCONCLUSIVE (8,000 iterations)
                Undecided:
                  native-libs: slope 2.7 B/iteration, interval [-0.24 B, 44.6 B] reaches above the floor of 4.4 B/iteration
                  Undecided after a fixed run of 8,000 iterations: leave out --iterations so the run extends itself
                report: %s
                json: %s
                """.formatted(Path.of("r.html").toAbsolutePath(), Path.of("out/r.json").toAbsolutePath()),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theHeaderSaysHowTheRunEnds() {
        SoakOptions defaults = SoakOptions.defaults();
        assertEquals("from 50,000 iterations, extended while undecided for up to 2m, 2,000 warm-up, 40 samples",
                InProcessSoak.describe(defaults));
        assertEquals("400 iterations, 50 warm-up, 8 samples, floor 64B/iteration, culprits off",
                InProcessSoak.describe(defaults.withIterations(400).withWarmup(50).withSamples(8).withMinLeak(64)
                        .withCulprits(false)));
        assertEquals("for 1m30s, 2,000 warm-up, 40 samples, native culprits on",
                InProcessSoak.describe(defaults.withDuration(Duration.ofSeconds(90)).withNativeCulprits(true)));
    }
}
