package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;

/**
 * A poller that opens a {@link Selector} for each polling round (every 20 iterations), polls it with
 * {@code selectNow()} and closes it in try-with-resources. Each selector's two descriptors (epoll and eventfd)
 * are opened and closed within the call: descriptors churn, none stay. Clean.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds",
        summary = "a java.nio Selector per polling round (every 20 iterations), closed")
public final class SelectorPerRoundClosed implements Runnable {
    private final Grind grind = new Grind();
    private long calls;
    private long ready;

    /** Holds nothing between calls. */
    public SelectorPerRoundClosed() {
    }

    @Override
    public void run() {
        grind.once();
        if (calls++ % 20 == 0) {
            try (Selector s = Selector.open()) {
                ready += s.selectNow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
