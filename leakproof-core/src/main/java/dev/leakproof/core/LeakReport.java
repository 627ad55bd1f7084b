package dev.leakproof.core;

import dev.leakproof.core.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resources grouped by where they were created, largest first: the answer to "what is live (or leaked),
 * and who allocated it".
 *
 * <p>{@link #toText()} writes it in the style of LeakSanitizer:
 * {@snippet lang = "text":
 * leakproof: 192 bytes in 3 resources still live (1 site)
 *
 * 192 bytes in 3 work-item allocated at:
 *     #0 com.example.Driver.get(Driver.java:42)
 *     #1 com.example.App.main(App.java:7)
 *   oldest 1.204 s
 * }
 *
 * @param title    what the report is about, for example {@code "still live"} or {@code "leaked in scope 'test'"}
 * @param culprits culprits, most bytes first (then most resources)
 */
public record LeakReport(String title, List<Culprit> culprits) {

    /** Orders culprits by bytes, then count, descending. */
    public static final Comparator<Culprit> LARGEST_FIRST =
            Comparator.comparingLong(Culprit::bytes).thenComparingLong(Culprit::count).reversed();

    /** @throws NullPointerException if an argument is null */
    public LeakReport {
        Objects.requireNonNull(title, "title");
        List<Culprit> sorted = new ArrayList<>(Objects.requireNonNull(culprits, "culprits"));
        sorted.sort(LARGEST_FIRST);
        culprits = List.copyOf(sorted);
    }

    /** @return true when there is no culprit */
    public boolean isEmpty() {
        return culprits.isEmpty();
    }

    /** @return resources over all culprits */
    public long totalCount() {
        return culprits.stream().mapToLong(Culprit::count).sum();
    }

    /** @return bytes over all culprits */
    public long totalBytes() {
        return culprits.stream().mapToLong(Culprit::bytes).sum();
    }

    /**
     * @param kind a resource kind
     * @return the culprits of that kind, in report order
     */
    public List<Culprit> ofKind(String kind) {
        return culprits.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    /**
     * @param kind a resource kind
     * @return the culprits of that kind, in report order
     */
    public List<Culprit> ofKind(ResourceKind kind) {
        return ofKind(kind.name());
    }

    /** @return the report as LeakSanitizer-style text, ending with a newline */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("leakproof: ");
        if (isEmpty()) {
            return out.append("nothing ").append(title).append('\n').toString();
        }
        out.append(totalBytes()).append(" bytes in ").append(totalCount()).append(" resources ").append(title)
                .append(" (").append(culprits.size()).append(culprits.size() == 1 ? " site)\n" : " sites)\n");
        for (Culprit c : culprits) {
            out.append('\n').append(c.bytes()).append(" bytes in ").append(c.count()).append(' ').append(c.kind())
                    .append(" allocated at:\n");
            List<String> frames = c.site().frames();
            for (int i = 0; i < frames.size(); i++) {
                out.append("    #").append(i).append(' ').append(frames.get(i)).append('\n');
            }
            out.append("  oldest ").append(formatAge(c.oldestAge())).append('\n');
        }
        return out.toString();
    }

    /** @return the report as JSON: {@code {title, totalCount, totalBytes, culprits: [{kind, count, bytes, oldestAgeMillis, site: [frames]}]}} */
    public String toJson() {
        return Json.write(toMap());
    }

    /** @return the report as nested maps and lists, for embedding in larger JSON documents */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("title", title);
        map.put("totalCount", totalCount());
        map.put("totalBytes", totalBytes());
        List<Object> list = new ArrayList<>();
        for (Culprit c : culprits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", c.kind());
            m.put("count", c.count());
            m.put("bytes", c.bytes());
            m.put("oldestAgeMillis", c.oldestAge().toMillis());
            m.put("site", c.site().frames());
            list.add(m);
        }
        map.put("culprits", list);
        return map;
    }

    private static String formatAge(Duration age) {
        return String.format(java.util.Locale.ROOT, "%.3f s", age.toNanos() / 1e9);
    }
}
