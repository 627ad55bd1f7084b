package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A census's trace of every call of one JDK method with its caller's stack (async-profiler's Java method event,
 * {@link NativeProfiler#trace}): where its objects are made, when no JDK event says so. A pass has one async-profiler
 * session, so at most one census traces, and only when no native profile runs (see {@link CulpritCollector}).
 */
final class MethodTrace {
    private final Path dir;
    private final String method;
    private NativeProfiler tracer;
    private String note = "";

    /**
     * @param dir    where the profiler writes
     * @param method the traced method, {@code package.Class.method}
     */
    MethodTrace(Path dir, String method) {
        this.dir = dir;
        this.method = method;
    }

    /** @return the traced method */
    String method() {
        return method;
    }

    /** Starts tracing; when async-profiler cannot, {@link #note()} says why. */
    void start() {
        StringBuilder why = new StringBuilder();
        tracer = NativeProfiler.trace(dir, method, why);
        if (tracer == null) {
            note = why.toString();
        }
    }

    /** @return whether the trace runs (or ran) */
    boolean on() {
        return tracer != null;
    }

    /** Marks an observation; does nothing when the trace is off. */
    void mark(long iteration) {
        if (tracer != null) {
            tracer.mark(iteration);
        }
    }

    /** Stops tracing; a second call does nothing. */
    void stop() {
        if (tracer != null) {
            try {
                tracer.stop();
            } catch (IllegalStateException e) {
                note = e.getMessage();
                tracer = null;
            }
        }
    }

    /** @return the sites that called the method, most calls per iteration first; empty when off or unreadable */
    List<NativeProfiler.TracedSite> sites() {
        if (tracer == null) {
            return List.of();
        }
        try {
            return tracer.tracedSites();
        } catch (IOException | RuntimeException e) {
            note = "reading async-profiler's trace of " + method + " failed: " + e;
            return List.of();
        }
    }

    /** @return why the trace did not run or could not be read, or "" */
    String note() {
        return note;
    }
}
