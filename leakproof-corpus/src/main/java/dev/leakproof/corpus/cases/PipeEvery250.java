package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;

/**
 * Every 250 iterations opens a {@link Pipe} (a wake-up channel for a worker), writes one byte, and keeps it in a
 * list that nothing clears. Each pipe is two descriptors, so they rise by 0.008 per iteration: a leak.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 2.0 / 250, culprit = "pipe|fifo",
        userFrame = "PipeEvery250\\.run", summary = "a java.nio Pipe opened every 250 iterations, never closed")
public final class PipeEvery250 implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final List<Pipe> pipes = new ArrayList<>();
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private long calls;

    /** Creates the case; no pipe yet. */
    public PipeEvery250() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 250 == 0) {
            try {
                Pipe p = Pipe.open();
                p.sink().write(one.clear().put((byte) 1).flip());
                pipes.add(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (Pipe p : pipes) {
            p.sink().close();
            p.source().close();
        }
    }
}
