package dev.leakproof.core;

import dev.leakproof.core.internal.SiteCapture;
import java.util.List;
import java.util.Objects;

/**
 * Where a tracked resource was created: the frames of its creating thread, innermost first, with
 * leakproof's own frames left out so that the first frame is the caller's line.
 *
 * <p>Sites are interned: every creation from the same call path shares one {@code Site}.
 *
 * @param frames frames in {@link StackTraceElement#toString()} form, innermost first; never empty
 */
public record Site(List<String> frames) {

    /** The site of resources whose creation was not sampled. */
    public static final Site UNKNOWN = new Site(List.of("<site not recorded: raise the tracking level to FULL, "
            + "or -D" + Tracking.LEVEL_PROPERTY + "=full>"));

    /**
     * @param frames frames, innermost first
     * @throws IllegalArgumentException if {@code frames} is empty
     */
    public Site {
        frames = List.copyOf(Objects.requireNonNull(frames, "frames"));
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a site needs at least one frame");
        }
    }

    /**
     * Makes a site constant for one call site: its frame is the line that calls {@code here()}. Declare one per
     * place that creates resources and pass it to {@link ResourceKind#track(long, Object, Site)} or
     * {@link TrackedArena#ofConfined(Site)}: a recorded creation then walks no stack. Reports name the
     * constant's line, so a constant shared by two call sites merges them; one constant per call site keeps
     * sites exact.
     * {@snippet :
     * private static final Site READ_BUFFER = Site.here();
     *
     * try (Arena arena = TrackedArena.ofConfined(READ_BUFFER)) { ... }
     * }
     *
     * @return a site of one frame, the caller's line
     */
    public static Site here() {
        return SiteCapture.declaredHere();
    }

    /** @return the innermost frame outside leakproof: the line that created the resource */
    public String topFrame() {
        return frames.getFirst();
    }

    @Override
    public String toString() {
        return topFrame();
    }
}
