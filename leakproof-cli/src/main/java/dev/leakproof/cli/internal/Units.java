package dev.leakproof.cli.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command's units: counts ({@code 50000}, {@code 50_000}, {@code 50,000}), sizes ({@code 64B}, {@code 1KB},
 * {@code 1KiB}, {@code 0.5MB}) and times ({@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}, {@code 1m30s},
 * ISO-8601 {@code PT90S}), parsed for picocli and formatted back the same way, so a default shown in the help
 * parses to itself.
 */
public final class Units {
    private Units() {
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([a-z]*)");
    private static final Pattern TIME_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Pattern COUNT = Pattern.compile("\\d+");

    /**
     * @param text a size: a number and an optional unit, B (the default), KB, MB, GB (powers of 1000) or KiB,
     *             MiB, GiB (powers of 1024); case does not matter
     * @return the bytes
     * @throws IllegalArgumentException if it is not such a size
     */
    public static double parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size");
        }
        double factor = switch (m.group(2)) {
            case "", "b" -> 1;
            case "kb", "k" -> 1e3;
            case "mb", "m" -> 1e6;
            case "gb", "g" -> 1e9;
            case "kib" -> 0x1p10;
            case "mib" -> 0x1p20;
            case "gib" -> 0x1p30;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2) + "'");
        };
        return Double.parseDouble(m.group(1)) * factor;
    }

    /** @param bytes a size @return it in the largest unit of 1000 that keeps it exact, e.g. {@code 64B}, {@code 2KB} */
    public static String formatSize(double bytes) {
        String[] units = {"B", "KB", "MB", "GB"};
        double v = bytes;
        int u = 0;
        while (u < units.length - 1 && v >= 1000 && v % 1000 == 0) {
            v /= 1000;
            u++;
        }
        return (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)) + units[u];
    }

    /**
     * @param text a time: parts such as {@code 1h}, {@code 5m}, {@code 30s}, {@code 500ms} (fractions allowed,
     *             several parts add up: {@code 1m30s}), or ISO-8601 such as {@code PT90S}
     * @return the duration
     * @throws IllegalArgumentException if it is not such a time
     */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = TIME_PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            double n = Double.parseDouble(m.group(1));
            double nanosPerUnit = switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            total = total.plusNanos(Math.round(n * nanosPerUnit));
            end = m.end();
            m.region(end, t.length());
        }
        if (end > 0 && end == t.length()) {
            return total;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time", e);
        }
    }

    /** @param d a duration @return it as {@link #parseDuration} reads it, e.g. {@code 2m}, {@code 1m30s}, {@code 500ms} */
    public static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        long h = d.toHours();
        if (h > 0) {
            s.append(h).append('h');
        }
        if (d.toMinutesPart() > 0) {
            s.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            s.append(d.toSecondsPart()).append('s');
        }
        if (d.toNanosPart() > 0) {
            s.append(d.toNanosPart() % 1_000_000 == 0 ? d.toMillisPart() + "ms" : d.toNanosPart() / 1e6 + "ms");
        }
        return s.toString();
    }

    /**
     * @param text a whole number, digits grouped by {@code _} or {@code ,} if wanted
     * @return it
     * @throws IllegalArgumentException if it is not one
     */
    public static long parseCount(String text) {
        String digits = text.strip().replace("_", "").replace(",", "");
        if (!COUNT.matcher(digits).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** @param n a count @return it grouped by thousands, e.g. {@code 50,000} */
    public static String formatCount(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /*
     * Picocli's converters. Their messages follow the option's name: the command prints "--min-leak " + message.
     */

    /** Parses a tracking level for picocli: off, sampled, counted or full, any case. */
    public static final class Level implements ITypeConverter<dev.leakproof.core.TrackingLevel> {
        @Override
        public dev.leakproof.core.TrackingLevel convert(String value) {
            try {
                return dev.leakproof.core.TrackingLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expects a tracking level, off, sampled, counted or full, got '"
                        + value + "'");
            }
        }
    }

    /** Picocli's converter for bytes per iteration ({@code --min-leak}). */
    public static final class Size implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double bytes;
            try {
                bytes = parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expects bytes per iteration such as 64B, 1KB, 1KiB or 0.5MB, got '"
                        + value + "'");
            }
            if (Double.isInfinite(bytes)) {
                throw new TypeConversionException("got a size too large to count, '" + value + "'");
            }
            return bytes;
        }
    }

    /** Picocli's converter for a positive time ({@code --duration}, {@code --max-duration}). */
    public static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expects a time such as 30s, 5m, 1h or 500ms, got '" + value + "'");
            }
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("must be a positive time such as 30s, 5m, 1h or 500ms, got '"
                        + value + "'");
            }
            return d;
        }
    }

    /** Picocli's converter for a count that may be 0 ({@code --warmup}). */
    public static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseCount(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expects a whole number such as 20000 or 20,000, got '" + value
                        + "'");
            }
        }
    }

    /** Picocli's converter for a count of at least 1 ({@code --iterations}). */
    public static final class PositiveCount implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n = new Count().convert(value);
            if (n == 0) {
                throw new TypeConversionException("must be positive, got " + value);
            }
            return n;
        }
    }

    /** Picocli's converter for a small positive count ({@code --samples}). */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long n = new PositiveCount().convert(value);
            if (n > Integer.MAX_VALUE) {
                throw new TypeConversionException("got a number too large, " + value);
            }
            return (int) n;
        }
    }
}
