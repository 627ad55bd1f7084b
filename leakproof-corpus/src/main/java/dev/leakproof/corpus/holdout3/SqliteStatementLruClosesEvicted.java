package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A statement cache done right: an access-ordered {@link LinkedHashMap} of at most 64 sqlite-jdbc
 * {@link PreparedStatement}s whose {@code removeEldestEntry} closes the statement it evicts. The SQL texts cycle
 * over 200 shapes, so almost every call misses, prepares a statement and evicts (and closes) the eldest: native
 * {@code sqlite3_stmt}s are made and finalised all the time, but at most 64 are alive after the first 64 calls.
 * Native memory fills to its bound at once and churns there: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "sqlite-jdbc",
        summary = "an LRU of 64 sqlite PreparedStatements over 200 SQL shapes, evicted statements closed")
public final class SqliteStatementLruClosesEvicted implements Runnable, AutoCloseable {
    private static final int CAPACITY = 64;
    private final Grind grind = new Grind();
    private final Connection db;
    private final LinkedHashMap<String, PreparedStatement> cache = new LinkedHashMap<>(128, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            try {
                eldest.getValue().close();
            } catch (SQLException e) {
                throw new IllegalStateException("closing an evicted statement failed", e);
            }
            return true;
        }
    };
    private long calls;
    private long bytes;

    /**
     * Opens an in-memory database with 200 rows.
     *
     * @throws SQLException if sqlite fails
     */
    public SqliteStatementLruClosesEvicted() throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199) "
                    + "INSERT INTO items SELECT i, printf('item-%06d', i) FROM n");
        }
    }

    @Override
    public void run() {
        grind.once();
        String sql = "SELECT payload FROM items WHERE id = " + (calls++ % 200);
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
