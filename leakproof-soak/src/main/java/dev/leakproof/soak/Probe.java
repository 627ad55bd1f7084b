package dev.leakproof.soak;

import dev.leakproof.soak.internal.BuiltInProbes;
import java.util.List;

/**
 * One kind of memory (or other resource) sampled during a soak. Implement it to chart something of your
 * own; the built-in ones are {@link #builtIns()}.
 *
 * <p>{@link #read()} is called after garbage collection has settled, on the soaking thread.
 */
public interface Probe {

    /** What a probe's values count. */
    enum Unit {
        /** Bytes; judged against {@link SoakOptions#minLeakBytesPerIteration()}. */
        BYTES,
        /** Objects, threads, descriptors; judged against {@link SoakOptions#minLeakCountPerIteration()}. */
        COUNT
    }

    /**
     * Whether a probe works here, and if not why.
     *
     * @param available whether {@link #read()} works
     * @param reason    why not (empty when available)
     */
    record Availability(boolean available, String reason) {
        /** A probe that works. */
        public static final Availability AVAILABLE = new Availability(true, "");

        /** @param reason why not @return an unavailable result */
        public static Availability unavailable(String reason) {
            return new Availability(false, reason);
        }
    }

    /** @return short name, e.g. {@code heap} */
    String name();

    /** @return what the values count */
    Unit unit();

    /** @return one line saying what is measured */
    String description();

    /** @return whether the probe works on this JVM and platform */
    Availability availability();

    /**
     * @return the current value
     * @throws RuntimeException if reading fails; the soak marks the probe unavailable from then on
     */
    double read();

    /**
     * A bound on this probe's own systematic error at the last {@link #read()}, in its units: what it cannot
     * tell apart however often it is read (e.g. a malloc overhead it can only estimate). The soak counts the
     * change of this bound across the judged window as growth the probe cannot resolve.
     *
     * @return the bound; 0 (the default) for an exact probe
     */
    default double errorBound() {
        return 0;
    }

    /**
     * @return heap, metaspace, native-malloc, native-libs, rss, direct, mapped, nmt, tracked, tracked-count,
     *         classes, threads, fds, in that order
     */
    static List<Probe> builtIns() {
        return BuiltInProbes.all();
    }
}
