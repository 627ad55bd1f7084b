package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The level and interval properties, read in a fresh JVM since they are read once. */
class TrackingPropertiesTest {

    public static void main(String[] args) {
        System.out.println("level=" + Tracking.level() + " interval=" + Tracking.samplingInterval());
    }

    private static String run(String... props) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(props));
        cmd.add(TrackingPropertiesTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void propertiesSetTheLevelAndInterval() throws Exception {
        assertTrue(run("-Dleakproof.tracking=FULL", "-Dleakproof.tracking.interval=7").contains("level=FULL interval=7"));
        assertTrue(run().contains("level=SAMPLED interval=128"), "defaults");
    }

    @Test
    void badPropertiesAreNamedAndIgnoredRatherThanBreakingTracking() throws Exception {
        String out = run("-Dleakproof.tracking=loud", "-Dleakproof.tracking.interval=0");
        assertTrue(out.contains("level=SAMPLED interval=128"), out);
        assertTrue(out.contains("ignoring -Dleakproof.tracking=loud: unknown tracking level 'loud'"), out);
        assertTrue(out.contains("ignoring -Dleakproof.tracking.interval=0"), out);
    }
}
