package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A DAO with a "prepared statement cache" keyed by SQL text, where the SQL inlines the row id instead of binding
 * it ({@code SELECT payload FROM items WHERE id = 1234}). The row being served changes every 40 iterations, so a
 * new text, and a new sqlite-jdbc {@link PreparedStatement}, enters the cache every 40 iterations and is never
 * closed or evicted. Each holds a compiled {@code sqlite3_stmt} in SQLite's native heap (about 2 KB for this
 * query): some 50 B of native memory per iteration — a native leak the Java heap barely sees.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 50,
        culprit = "sqlite", userFrame = "SqliteStatementCacheByRowId", library = "sqlite-jdbc",
        flags = "--native-culprits",
        summary = "a PreparedStatement cache keyed by SQL text that inlines a row id, a new id every 40 iterations")
public final class SqliteStatementCacheByRowId implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final Connection db;
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    private long calls;
    private long bytes;

    /**
     * Opens an in-memory database with 2,000 rows.
     *
     * @throws SQLException if sqlite fails
     */
    public SqliteStatementCacheByRowId() throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                    + "INSERT INTO items SELECT i, printf('item-%06d', i) FROM n");
        }
    }

    @Override
    public void run() {
        grind.once();
        String sql = "SELECT payload FROM items WHERE id = " + (calls++ / 40);
        try {
            PreparedStatement ps = cache.get(sql);
            if (ps == null) {
                ps = db.prepareStatement(sql);
                cache.put(sql, ps);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    bytes += rs.getString(1).length();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : cache.values()) {
            ps.close();
        }
        db.close();
    }
}
