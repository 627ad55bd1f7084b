package dev.leakproof.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.core.LeakReport;
import dev.leakproof.core.LeakScope;
import dev.leakproof.core.Tracking;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After close, leakproof-core sees nothing live that the cluster created. */
@SuppressWarnings("try") // scopes and clusters are closed early on purpose, then inspected
class ClusterLeakTest {
    @TempDir
    Path dir;

    @Test
    void afterCloseNothingTheClusterCreatedIsLive() throws Exception {
        LeakReport leaks;
        try (LeakScope scope = Tracking.openScope("cluster lifetime")) {
            try (Cluster c = Cluster.open(dir)) {
                c.blob("b").put("v".getBytes(UTF_8));
                c.blob("b").get();
                c.blob("b").attachTag("t");
                c.tag("t").getEntries();
                c.integer("i").put(1);
                c.integer("i").add(2);
                c.integer("i").getAsync().get(10, TimeUnit.SECONDS);
                c.deque("d").pushBackAsync("x".getBytes(UTF_8)).get(10, TimeUnit.SECONDS);
                c.set("s").insert("x".getBytes(UTF_8));
                c.blob("b").remove();
                // while open, the database and its options are live
                assertTrue(scope.leaks().culprits().stream().anyMatch(x -> x.kind().equals("rocksdb-db")),
                        scope.leaks().toText());
            }
            scope.close();
            leaks = scope.leaks();
        }
        assertTrue(leaks.isEmpty(), leaks.toText());
        assertEquals(0, leaks.totalCount());
    }

    @Test
    void aFailedOpenReleasesWhatItMadeBeforeFailing() throws Exception {
        try (Cluster first = Cluster.open(dir)) {
            LeakReport leaks;
            try (LeakScope scope = Tracking.openScope("failed open")) {
                // options and transaction-database options are made, then the open fails on the LOCK file
                org.junit.jupiter.api.Assertions.assertThrows(DatabaseInUseException.class, () -> Cluster.open(dir));
                scope.close();
                leaks = scope.leaks();
            }
            assertTrue(leaks.isEmpty(), leaks.toText());
            first.blob("still").put("open".getBytes(UTF_8));
        }
    }

    @Test
    void checkpointsPurgesAndFlushesLeaveNothingLive() throws Exception {
        LeakReport leaks;
        try (LeakScope scope = Tracking.openScope("checkpoint")) {
            try (Cluster c = Cluster.open(dir.resolve("db"))) {
                c.blob("b").put("v".getBytes(UTF_8));
                c.checkpoint(dir.resolve("copy"));
                c.purgeExpired();
                c.store().flush();
            }
            scope.close();
            leaks = scope.leaks();
        }
        assertTrue(leaks.isEmpty(), leaks.toText());
    }
}
