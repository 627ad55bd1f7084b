package dev.leakproof.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakproof.soak.SoakOptions.Defaults;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"64B, 64", "64, 64", "1KB, 1000", "1kb, 1000", "1KiB, 1024", "0.5MB, 500000", "2MiB, 2097152",
        "1.5 KB, 1500", "0, 0", "1GB, 1e9", ".5KiB, 512"})
    void sizesParse(String text, double bytes) {
        assertEquals(bytes, Units.parseSize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12XB", "-1B", "KB", "", "1 K B", "1e3"})
    void badSizesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize(text));
    }

    @Test
    void durationsParse() {
        assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(5), Units.parseDuration("5m"));
        assertEquals(Duration.ofHours(1), Units.parseDuration("1h"));
        assertEquals(Duration.ofSeconds(90), Units.parseDuration("PT90S"));
        assertEquals(Duration.ofSeconds(90), Units.parseDuration("1m30s"));
        assertEquals(Duration.ofMillis(1500), Units.parseDuration("1.5s"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("soon"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("5 minutes"));
    }

    @Test
    void countsParseWithGroupingAndRefuseSigns() {
        assertEquals(50_000, Units.parseCount("50,000"));
        assertEquals(50_000, Units.parseCount("50_000"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseCount("-5"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseCount("ten"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseCount("99999999999999999999"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT2M", "PT30S", "PT0.5S", "PT1H30M", "PT1M30.25S", "PT0.0005S"})
    void formattedDurationsParseBackToThemselves(String iso) {
        Duration d = Duration.parse(iso);
        assertEquals(d, Units.parseDuration(Units.formatDuration(d)), Units.formatDuration(d));
    }

    @Test
    void theDefaultsShownInTheHelpParseBackToSoakOptionsDefaults() {
        assertEquals("2m", Units.formatDuration(Defaults.MAX_DURATION));
        assertEquals(Defaults.MAX_DURATION, new Units.Time().convert(Units.formatDuration(Defaults.MAX_DURATION)));
        assertEquals(Defaults.ITERATIONS, new Units.PositiveCount().convert(Units.formatCount(Defaults.ITERATIONS)));
        assertEquals(Defaults.MIN_LEAK_BYTES_PER_ITERATION,
                new Units.Size().convert(Units.formatSize(Defaults.MIN_LEAK_BYTES_PER_ITERATION)));
        assertEquals("64B", Units.formatSize(64));
        assertEquals("2KB", Units.formatSize(2000));
        assertEquals("1024B", Units.formatSize(1024));
        assertEquals(1500.0, Units.parseSize(Units.formatSize(1500)));
    }
}
