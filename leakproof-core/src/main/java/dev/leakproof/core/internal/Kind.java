package dev.leakproof.core.internal;

import dev.leakproof.core.KindTotals;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One resource kind's state: its name, its description and its counters, owned by the kind as Netty's
 * {@code ResourceLeakDetector<T>} owns its counters per resource type, so a record adds to fields it already
 * holds instead of looking its kind up by name. The registry maps each name to one kind for the life of the
 * process.
 *
 * <p>Counts are {@link LongAdder}s. At FULL and COUNTED every creation adds to them (at COUNTED most through a
 * {@link Counted} token without a site); at SAMPLED only the recorded one in N does.
 */
public final class Kind {
    private static final ConcurrentHashMap<String, Kind> ALL = new ConcurrentHashMap<>();

    private final String name;
    private final String description;
    /** The public object ({@code ResourceKind}); set before the kind is published in {@link #ALL}. */
    private Object api;
    /** Set by the first record: totals list the kinds that recorded something, as they always did. */
    private volatile boolean used;
    final LongAdder liveCount = new LongAdder();
    final LongAdder liveBytes = new LongAdder();
    final LongAdder leakedCount = new LongAdder();
    final LongAdder leakedBytes = new LongAdder();

    private Kind(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /**
     * Registers a kind, or returns the one registered under {@code name} before: a class loaded twice (by two
     * class loaders, as soaks and test engines do) registers its constants twice and must get the same kind.
     *
     * @param name        the kind's name, shown in reports and JSON
     * @param description what the resource is, one line
     * @param api         makes the public object of a new kind (called once per name)
     * @param <T>         the public object's type
     * @return the public object of the kind named {@code name}
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank or {@code description} is blank, or if
     *                                  {@code name} is registered already with another description
     */
    public static <T> T register(String name, String description, Function<Kind, T> api) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(api, "api");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a resource kind needs a name, got \"" + name + "\"");
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("resource kind '" + name + "' needs a description (what the "
                    + "resource is, one line), got \"" + description + "\"");
        }
        Kind kind = ALL.computeIfAbsent(name, n -> {
            Kind k = new Kind(n, description);
            k.api = api.apply(k);
            return k;
        });
        if (!kind.description.equals(description)) {
            throw new IllegalArgumentException("resource kind '" + name + "' is registered already as \""
                    + kind.description + "\", not \"" + description + "\": two resources share one name; "
                    + "give one of them another name, or use the ResourceKind constant of the first");
        }
        @SuppressWarnings("unchecked") // api is made only here, by the one caller type (ResourceKind::new)
        T t = (T) kind.api;
        return t;
    }

    /** @return live and leaked totals of every kind that has recorded something, sorted by name */
    public static Map<String, KindTotals> allTotals() {
        Map<String, KindTotals> out = new LinkedHashMap<>();
        ALL.values().stream().filter(k -> k.used).sorted((a, b) -> a.name.compareTo(b.name))
                .forEach(k -> out.put(k.name, k.totals()));
        return out;
    }

    /** @return this kind's name */
    public String name() {
        return name;
    }

    /** @return what the resource is, one line */
    public String description() {
        return description;
    }

    /** @return this kind's live and leaked totals */
    public KindTotals totals() {
        return new KindTotals(liveCount.sum(), liveBytes.sum(), leakedCount.sum(), leakedBytes.sum());
    }

    void created(long bytes) {
        if (!used) {
            used = true;
        }
        liveCount.increment();
        liveBytes.add(bytes);
    }

    void released(long bytes) {
        liveCount.decrement();
        liveBytes.add(-bytes);
    }

    void resized(long delta) {
        liveBytes.add(delta);
    }

    void leaked(long bytes) {
        released(bytes);
        leakedCount.increment();
        leakedBytes.add(bytes);
    }

    @Override
    public String toString() {
        return name;
    }
}
