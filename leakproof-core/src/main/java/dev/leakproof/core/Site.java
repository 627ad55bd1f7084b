package dev.leakproof.core;

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

    /** @return the innermost frame outside leakproof: the line that created the resource */
    public String topFrame() {
        return frames.getFirst();
    }

    @Override
    public String toString() {
        return topFrame();
    }
}
