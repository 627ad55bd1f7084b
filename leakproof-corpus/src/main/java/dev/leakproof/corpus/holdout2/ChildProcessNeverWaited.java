package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a helper process ({@code sleep 3600}, standing for a long-running converter) every 1,000 iterations with
 * {@link ProcessBuilder}'s default pipes, and forgets it: its output is never read, it is never waited for nor
 * destroyed. While a child runs, the JDK's process-reaper thread holds its {@code Process} (to complete
 * {@code onExit}) and with it the three pipe ends (stdin, stdout, stderr) of the parent, and that reaper thread
 * stays parked in {@code waitpid}. So every start keeps 3 descriptors and 1 thread for the rest of the run:
 * 0.003 descriptors per iteration — a descriptor (and thread) leak. Only the process ids are kept, so that
 * {@link #close()} can end the children; they retain neither the pipes nor the {@code Process}.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 3.0 / 1000,
        culprit = "pipe|fifo|process", userFrame = "ChildProcessNeverWaited",
        summary = "a `sleep 3600` child started every 1,000 iterations, never read, waited for or destroyed")
public final class ChildProcessNeverWaited implements Runnable, AutoCloseable {
    private final Toil toil = new Toil();
    private final List<ProcessHandle> started = new ArrayList<>();
    private long calls;

    /** No child until the first call. */
    public ChildProcessNeverWaited() {
    }

    @Override
    public void run() {
        toil.request();
        if (calls++ % 1000 == 0) {
            try {
                started.add(new ProcessBuilder("sleep", "3600").start().toHandle());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start sleep", e);
            }
        }
    }

    @Override
    public void close() {
        started.forEach(ProcessHandle::destroyForcibly);
    }
}
