package dev.leakproof.core;

import dev.leakproof.core.internal.Kind;
import dev.leakproof.core.internal.LeakDetector;
import dev.leakproof.core.internal.Reports;
import dev.leakproof.core.internal.Scope;
import dev.leakproof.core.internal.Tracker;
import dev.leakproof.core.internal.TrackingProperties;
import java.util.Map;
import java.util.Objects;

/**
 * Tracking of resources with an explicit lifetime, and the three ways leakproof finds the ones never
 * released.
 *
 * <p>A driver makes one {@link ResourceKind} constant per kind of native object with
 * {@link #kind(String, String)}, calls its {@link ResourceKind#track(long, Object) track} when it creates one
 * and closes the returned token when it releases it:
 * {@snippet :
 * static final ResourceKind VALUE = Tracking.kind("rocksdb-value", "value returned by rocksdb_get");
 *
 * MemorySegment value = rocksdbGet(key);                 // malloc'd by the native library
 * Tracked token = VALUE.track(value.byteSize(), value);
 * try {
 *     return value.toArray(ValueLayout.JAVA_BYTE);
 * } finally {
 *     free(value);
 *     token.close();
 * }
 * }
 *
 * <p>Detection:
 * <ol>
 *   <li><b>by garbage collection</b>: when the {@code owner} given to {@code track} is collected while the
 *       token is open, the leak is logged (logger {@code dev.leakproof}, WARNING), sent to every
 *       {@link LeakListener}, recorded as a JFR event {@code dev.leakproof.LeakDetected}, and listed by
 *       {@link #leaked()}. The tracker never holds owners strongly.</li>
 *   <li><b>by snapshot</b>: {@link #snapshot()} groups everything still live by creating site. This finds
 *       leaks that are still reachable, which garbage collection cannot.</li>
 *   <li><b>by scope</b>: {@link #openScope(String)} records everything created on the opening thread
 *       until it closes, whatever the level; {@link LeakScope#leaks()} lists what was not released.</li>
 * </ol>
 *
 * <p>Levels ({@link TrackingLevel}) are opened for a piece of work with {@link #levelScope(TrackingLevel)}
 * (try-with-resources; they nest and are per thread, see {@link LevelScope}). Where no level scope is open, the
 * process default applies: the system property {@value #LEVEL_PROPERTY} (default {@code sampled}), or
 * {@link #setDefaultLevel(TrackingLevel)} for an application that wants one level everywhere. Leakproof's own
 * blocks (soaks, clusters, the JUnit extension) open scopes and never change the default. The sampling
 * interval comes from {@value #INTERVAL_PROPERTY} (default 128). Live totals per kind are also a periodic JFR
 * event, {@code dev.leakproof.LiveResources}.
 */
public final class Tracking {
    /** System property naming the level: {@code off}, {@code sampled} or {@code full}. */
    public static final String LEVEL_PROPERTY = TrackingProperties.LEVEL;
    /** System property giving N, where one creation in N records its site at {@link TrackingLevel#SAMPLED}. */
    public static final String INTERVAL_PROPERTY = TrackingProperties.INTERVAL;

    private Tracking() {
    }

    /**
     * Registers a kind of resource, or returns the kind registered under {@code name} before with the same
     * description. Keep the result in a {@code static final} field: the kind owns its counters.
     *
     * @param name        what it is, in a word or two ({@code "work-item"}, {@code "rocksdb-iterator"}); reports,
     *                    JSON and JFR events group by it
     * @param description what the resource is, one line ({@code "value returned by rocksdb_get"})
     * @return the kind
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} or {@code description} is blank, or if {@code name} is
     *                                  registered already with another description (two resources would share a
     *                                  name in reports)
     */
    public static ResourceKind kind(String name, String description) {
        return Kind.register(name, description, ResourceKind::new);
    }

    /**
     * @return the level creations on this thread are tracked at now: the innermost {@link LevelScope}'s, else
     *         the process default
     */
    public static TrackingLevel level() {
        return Tracker.level();
    }

    /**
     * Opens a level scope on this thread: until it is closed, creations in it (on this thread, and in work this
     * thread submits to a {@link WorkQueue}) are tracked at {@code level}. Scopes nest, the innermost wins; other
     * threads keep their own level.
     * {@snippet :
     * try (LevelScope full = Tracking.levelScope(TrackingLevel.FULL)) {
     *     runTheWork();
     * }
     * }
     *
     * @param level the level for the work inside
     * @return the open scope; close it on this thread
     * @throws NullPointerException if {@code level} is null
     */
    public static LevelScope levelScope(TrackingLevel level) {
        Objects.requireNonNull(level, "level");
        return new LevelScope(Scope.openLevel(level, 0), level);
    }

    /**
     * Opens a level scope with its own sampling interval: at {@link TrackingLevel#SAMPLED}, one creation in
     * {@code samplingInterval} inside it records its site. Otherwise as {@link #levelScope(TrackingLevel)}; the
     * process's interval and other threads' are unchanged.
     *
     * @param level            the level for the work inside
     * @param samplingInterval N &ge; 1
     * @return the open scope; close it on this thread
     * @throws NullPointerException     if {@code level} is null
     * @throws IllegalArgumentException if {@code samplingInterval < 1}
     */
    public static LevelScope levelScope(TrackingLevel level, int samplingInterval) {
        Objects.requireNonNull(level, "level");
        if (samplingInterval < 1) {
            throw new IllegalArgumentException("sampling interval must be at least 1, got " + samplingInterval);
        }
        return new LevelScope(Scope.openLevel(level, samplingInterval), level);
    }

    /** @return the process default: the level where no {@link LevelScope} is open */
    public static TrackingLevel defaultLevel() {
        return Tracker.defaultLevel();
    }

    /**
     * Sets the process default, the level where no {@link LevelScope} is open, as {@value #LEVEL_PROPERTY}
     * does at start; tokens already handed out keep working. For an application choosing one level for the
     * whole process: work that needs its own level (a test, a soak) opens a {@link #levelScope} instead, and
     * is not affected by this.
     *
     * @param level the new default
     * @throws NullPointerException if {@code level} is null
     */
    public static void setDefaultLevel(TrackingLevel level) {
        Tracker.setDefaultLevel(Objects.requireNonNull(level, "level"));
    }

    /**
     * @return N, where one creation in N on this thread records its site at SAMPLED: the innermost level scope's
     *         interval if it set one, else the process's
     */
    public static int samplingInterval() {
        return Tracker.samplingInterval();
    }

    /**
     * Sets the process's sampling interval, as {@value #INTERVAL_PROPERTY} does at start; a level scope may set
     * its own ({@link #levelScope(TrackingLevel, int)}), unaffected by this.
     *
     * @param interval N &ge; 1
     * @throws IllegalArgumentException if {@code interval < 1}
     */
    public static void setSamplingInterval(int interval) {
        Tracker.setSamplingInterval(interval);
    }

    /** @return every live resource that recorded its site, grouped by site and kind, most bytes first */
    public static LeakReport snapshot() {
        return Reports.snapshot();
    }

    /** @return resources whose owner was garbage-collected while unreleased, grouped by site, since start */
    public static LeakReport leaked() {
        return LeakDetector.leaked();
    }

    /** @return live and leaked totals per kind, sorted by kind */
    public static Map<String, KindTotals> totals() {
        return Reports.totals();
    }

    /**
     * Opens a leak scope on this thread: until it is closed, every resource created on this thread (and in work
     * this thread submits to a {@link WorkQueue}) records its site and belongs to the scope, whatever the level.
     * Scopes nest; each thread has its own, so tests running in parallel do not see each other's resources.
     *
     * @param name shown in reports, for example the test's name
     * @return the open scope; close it on this thread
     * @throws NullPointerException if {@code name} is null
     */
    public static LeakScope openScope(String name) {
        return new LeakScope(Scope.open(Objects.requireNonNull(name, "name")));
    }

    /**
     * Runs a full garbage collection, waits for reference processing, collects again and processes the
     * owners found dead. Use before a snapshot or a measurement that should not count garbage.
     */
    public static void settle() {
        LeakDetector.settle();
    }

    /**
     * @param listener told about each leak found by garbage collection, on the detector thread
     * @throws NullPointerException if {@code listener} is null
     */
    public static void addLeakListener(LeakListener listener) {
        LeakDetector.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * @param listener a listener added before
     * @return whether it was registered
     */
    public static boolean removeLeakListener(LeakListener listener) {
        return LeakDetector.removeListener(listener);
    }
}
