package dev.leakproof.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakproof.core.KindTotals;
import dev.leakproof.core.Tracking;
import dev.leakproof.core.TrackingLevel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's tracking level is a scope around its own work: opening clusters with different levels changes
 * neither the caller's level nor the other cluster's (the last cluster opened used to set the process's level).
 */
class ClusterTrackingLevelTest {
    @TempDir
    Path dir;

    @Test
    void eachClusterTracksItsOwnWorkAtItsOwnLevelAndLeavesTheCallersAlone() {
        TrackingLevel callers = Tracking.level();
        long dbs = liveDatabases();
        try (Cluster full = Cluster.open(dir.resolve("full"),
                ClusterOptions.defaults().withTrackingLevel(TrackingLevel.FULL))) {
            assertEquals(dbs + 1, liveDatabases(), "the FULL cluster's database is recorded");
            assertEquals(callers, Tracking.level(), "opening a cluster changed its caller's level");
            try (Cluster off = Cluster.open(dir.resolve("off"),
                    ClusterOptions.defaults().withTrackingLevel(TrackingLevel.OFF))) {
                assertEquals(dbs + 1, liveDatabases(), "the OFF cluster's database is not recorded");
                assertEquals(callers, Tracking.level());
                try (Cluster fullAgain = Cluster.open(dir.resolve("full-again"),
                        ClusterOptions.defaults().withTrackingLevel(TrackingLevel.FULL))) {
                    assertEquals(dbs + 2, liveDatabases(), "a FULL cluster opened after an OFF one is still FULL");
                }
            }
        }
        assertEquals(dbs, liveDatabases());
    }

    private static long liveDatabases() {
        KindTotals t = Tracking.totals().get("rocksdb-db");
        return t == null ? 0 : t.liveCount();
    }
}
