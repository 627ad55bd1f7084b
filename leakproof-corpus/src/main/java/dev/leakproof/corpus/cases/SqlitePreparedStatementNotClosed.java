package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteDataSource;

/**
 * Looks a row up in an in-memory SQLite database through sqlite-jdbc on every iteration with a fresh
 * {@link PreparedStatement} whose result set is closed but which is itself never closed. sqlite-jdbc keeps every
 * open statement's native handle in its connection (so that closing the connection can finalize it), so each
 * iteration leaves a compiled {@code sqlite3_stmt} in native memory (malloc'd by the SQLite library, about 2 KB)
 * and a small handle object on the heap, without bound until the connection closes: a native leak.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 2000, culprit = "sqlite",
        userFrame = "SqlitePreparedStatementNotClosed\\.run", library = "sqlite-jdbc", flags = "--native-culprits",
        summary = "sqlite-jdbc PreparedStatement per iteration, never closed (native sqlite3_stmt)")
public final class SqlitePreparedStatementNotClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final Connection connection;
    private long calls;

    /** @throws SQLException if the database cannot be made */
    public SqlitePreparedStatementNotClosed() throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite::memory:");
        connection = ds.getConnection();
        Sql.fillKeyValueTable(connection);
    }

    @Override
    public void run() {
        work.request();
        try {
            PreparedStatement ps = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
            ps.setLong(1, ++calls % Sql.ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** Shared set-up of the JDBC cases. */
    static final class Sql {
        static final int ROWS = 1000;

        private Sql() {
        }

        static void fillKeyValueTable(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kv (k BIGINT PRIMARY KEY, v VARCHAR(64))");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv (k, v) VALUES (?, ?)")) {
                for (int k = 0; k < ROWS; k++) {
                    ps.setLong(1, k);
                    ps.setString(2, "value-" + k);
                    ps.executeUpdate();
                }
            }
        }
    }
}
