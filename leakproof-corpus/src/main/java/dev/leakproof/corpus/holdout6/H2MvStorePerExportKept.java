package dev.leakproof.corpus.holdout6;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A nightly-export job that writes each export into its own H2 {@link MVStore} file (a new export every 800
 * iterations), puts one row per iteration into the current export's map and commits, and forgets to close the store
 * when it moves on to the next export. An MVStore opened with the default auto-commit delay (1 s) starts its own
 * "MVStore background writer" thread, and H2 2.5 adds an "H2-save" and an "H2-serialization" thread per store;
 * they run until the store is closed and hold the store, its file channel and its caches. First written as one
 * thread per store (1/800); measured three threads, one descriptor and 2.2 MB of heap per store (0.00375 threads,
 * 0.00125 descriptors, about 2,760 heap bytes per iteration in every interval), so the truth is 3/800: a slow
 * thread leak, without bound, carrying a large heap leak with it. The case
 * keeps the stores in a list only so that {@link #close()} can close them; their writer threads would keep them anyway.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 3.0 / 800,
        culprit = "MVStore background writer|H2-save|H2-serialization",
        userFrame = "H2MvStorePerExportKept", library = "H2",
        summary = "an H2 MVStore file per export (every 800 iterations), committed, never closed: a writer thread each")
public final class H2MvStorePerExportKept implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Path dir;
    private final List<MVStore> forClose = new ArrayList<>();
    private MVMap<Long, String> rows;
    private MVStore current;
    private long calls;

    /** @throws IOException if the export directory cannot be made */
    public H2MvStorePerExportKept() throws IOException {
        dir = Workdir.make("holdout6-exports-");
    }

    @Override
    public void run() {
        grind.once();
        if (calls % 800 == 0) {
            // the previous export is done; its store is not closed
            current = new MVStore.Builder().fileName(dir.resolve("export-" + calls / 800 + ".mv.db").toString()).open();
            forClose.add(current);
            rows = current.openMap("rows");
        }
        rows.put(calls, "row " + calls);
        calls++;
        if (calls % 100 == 0) {
            current.commit();
        }
    }

    @Override
    public void close() throws IOException {
        for (MVStore s : forClose) {
            s.close();
        }
        forClose.clear();
        Workdir.delete(dir);
    }
}
