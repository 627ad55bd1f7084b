package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection manager that opens a {@link Selector} per connection group and caches it by group id, never
 * closing it; a new group appears every 250 iterations. On Linux each selector holds two descriptors (an epoll
 * instance and the eventfd used to wake it), and they stay open while the selector does: 2 descriptors per 250
 * iterations, 0.008 per iteration, never closed — a descriptor leak. Each iteration polls the current group's
 * selector with {@code selectNow()}.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 2.0 / 250,
        culprit = "eventpoll|eventfd|epoll|anon_inode|Selector", userFrame = "SelectorPerGroupKept",
        summary = "a java.nio Selector per connection group (every 250 iterations) cached, never closed")
public final class SelectorPerGroupKept implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Map<Long, Selector> selectors = new HashMap<>();
    private long calls;
    private long ready;

    /** No selector until the first call. */
    public SelectorPerGroupKept() {
    }

    @Override
    public void run() {
        grind.once();
        long group = calls++ / 250;
        Selector s = selectors.computeIfAbsent(group, g -> {
            try {
                return Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            ready += s.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Selector s : selectors.values()) {
            s.close();
        }
    }
}
