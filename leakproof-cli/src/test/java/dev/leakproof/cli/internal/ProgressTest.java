package dev.leakproof.cli.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The progress lines in a log: a first pass planned again is not an extension for an undecided probe. */
class ProgressTest {
    @Test
    void aFirstPassPlannedAgainIsNotCalledAnExtension() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, UTF_8), false);
        p.sampled(1, 40, "", Double.NaN);
        p.progress(1_000, 50_000, 0.02, 10_000);
        p.sampled(5, 40, "heap", 0.1);
        // after its fifth sample the first pass grows from what it measured
        p.progress(6_000, 90_000, 0.07, 10_000);
        p.sampled(40, 40, "heap", 0.1);
        p.progress(90_000, 90_000, 1.0, 10_000);
        // every sample the pass expected is taken: a longer run now is another pass
        p.progress(91_000, 180_000, 0.5, 10_000);
        String log = bytes.toString(UTF_8);
        assertTrue(log.contains("soak: first pass planned again from its measured costs: 90,000 iterations"), log);
        assertTrue(log.contains("soak: extending to 180,000 iterations: a probe is undecided"), log);
        assertTrue(log.indexOf("extending") > log.indexOf("planned again"), log);
        assertTrue(!log.contains("extending to 90,000"), log);
    }
}
