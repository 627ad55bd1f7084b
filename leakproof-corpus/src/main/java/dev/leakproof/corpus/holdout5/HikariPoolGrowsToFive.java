package dev.leakproof.corpus.holdout5;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A HikariCP pool over one SQLite database file (sqlite-jdbc), minimum idle 1, maximum 5, idle timeout 10 minutes:
 * one connection borrowed and closed (returned) per iteration, and a report every 6,000 calls that holds several
 * connections at once — 2 at call 6,000, 3 at 12,000, 4 at 18,000, then 5 from call 24,000 on. Hikari opens a
 * connection when a borrow finds none idle, so the pool grows by one SQLite connection (one open descriptor on the
 * database file) at each of the first four reports, up to its maximum of 5 near call 24,000 (about half of a
 * 50,000-iteration run), and then reuses them. Descriptors step up four times and stay: a pool growing to its
 * maximum, no leak. Hikari's housekeeping thread starts with the pool; its connection-adder thread comes and goes.
 * Each iteration does 5 rounds of work (~100 µs) so the steps land where this says. Measured: the pool already held
 * 2 connections after the 2,000 warm-up calls (Hikari adds one in the background to keep one idle beside the
 * borrowed one), then +3 descriptors by call 42,000 and none after; the bound is the same.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds", library = "HikariCP",
        summary = "HikariCP over a SQLite file, max 5: reports holding 2..5 connections grow it to 5 by call 24,000")
public final class HikariPoolGrowsToFive implements Runnable, AutoCloseable {
    private static final int MAX = 5;
    private final Mill mill = new Mill();
    private final Path dir;
    private final HikariDataSource pool;
    private long calls;
    private long used;

    /**
     * @throws IOException  if the directory cannot be made
     * @throws SQLException if the database cannot be made
     */
    public HikariPoolGrowsToFive() throws IOException, SQLException {
        dir = Scratch.directory("holdout5-hikari-");
        try (Connection c = TenantDb.open(dir, 0)) {
            used += TenantDb.used(c);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("tenant-0.db"));
        config.setPoolName("holdout5-pool");
        config.setMinimumIdle(1);
        config.setMaximumPoolSize(MAX);
        config.setIdleTimeout(600_000);
        config.setMaxLifetime(1_800_000);
        pool = new HikariDataSource(config);
    }

    @Override
    public void run() {
        mill.times(5);
        long n = calls++;
        try {
            if (n > 0 && n % 6_000 == 0) {
                report((int) Math.min(MAX, 1 + n / 6_000));
            } else {
                try (Connection c = pool.getConnection()) {
                    used += TenantDb.used(c);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed", e);
        }
    }

    private void report(int connections) throws SQLException {
        List<Connection> held = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = pool.getConnection();
                held.add(c);
                used += TenantDb.used(c);
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        pool.close();
        Scratch.delete(dir);
    }
}
