package dev.leakproof.core.internal;

import dev.leakproof.core.Culprit;
import dev.leakproof.core.KindTotals;
import dev.leakproof.core.LeakReport;
import dev.leakproof.core.Site;
import dev.leakproof.core.internal.jfr.LeakDetectedEvent;
import dev.leakproof.core.internal.jfr.LiveResourcesEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;

/**
 * Reports and JFR: detection by snapshot (the live records grouped by site and kind), totals per kind, and
 * the two JFR events, {@code dev.leakproof.LeakDetected} per leak and the periodic
 * {@code dev.leakproof.LiveResources} per kind.
 */
public final class Reports {
    private static final System.Logger LOG = System.getLogger("dev.leakproof");

    static {
        try {
            FlightRecorder.addPeriodicEvent(LiveResourcesEvent.class, Reports::emitLiveTotals);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "JFR periodic event not registered", e);
        }
    }

    private Reports() {
    }

    /** Registers the periodic JFR event; the first tracker use calls it, so a recording sees the kinds. */
    static void init() {
        // the static initializer does the work
    }

    private record SiteKind(Site site, String kind) {
    }

    /** @return every live record, grouped by site and kind */
    public static LeakReport snapshot() {
        return group("still live", Record.LIVE);
    }

    static LeakReport group(String title, Iterable<Record> records) {
        Map<SiteKind, long[]> groups = new HashMap<>();
        long now = System.nanoTime();
        for (Record r : records) {
            if (!r.live()) {
                continue;
            }
            long[] agg = groups.computeIfAbsent(new SiteKind(r.site, r.kind.name()),
                    k -> new long[] {0, 0, Long.MAX_VALUE});
            agg[0]++;
            agg[1] += r.bytes();
            agg[2] = Math.min(agg[2], r.createdNanos);
        }
        List<Culprit> list = new ArrayList<>(groups.size());
        groups.forEach((k, v) -> list.add(new Culprit(k.kind(), k.site(), v[0], v[1], Duration.ofNanos(now - v[2]))));
        return new LeakReport(title, list);
    }

    /** @return live and leaked totals of every kind that has recorded something, sorted by name */
    public static Map<String, KindTotals> totals() {
        return Kind.allTotals();
    }

    private static void emitLiveTotals() {
        totals().forEach((kind, t) -> {
            LiveResourcesEvent e = new LiveResourcesEvent();
            e.kind = kind;
            e.liveCount = t.liveCount();
            e.liveBytes = t.liveBytes();
            e.leakedCount = t.leakedCount();
            e.leakedBytes = t.leakedBytes();
            e.commit();
        });
    }

    static void emitLeak(String detection, Culprit leak) {
        LeakDetectedEvent e = new LeakDetectedEvent();
        if (e.shouldCommit()) {
            e.kind = leak.kind();
            e.detection = detection;
            e.site = leak.site().topFrame();
            e.stack = String.join("\n", leak.site().frames());
            e.count = leak.count();
            e.bytes = leak.bytes();
            e.commit();
        }
    }
}
