package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteDataSource;

/**
 * Looks a row up in an in-memory SQLite database on every iteration with a fresh {@link PreparedStatement} that
 * try-with-resources closes, which finalizes its native {@code sqlite3_stmt}. Native memory churns and stays
 * flat: not a leak (the twin of {@link SqlitePreparedStatementNotClosed}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "sqlite-jdbc",
        summary = "sqlite-jdbc PreparedStatement per iteration, closed")
public final class SqliteStatementsClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final Connection connection;
    private long calls;
    private long found;

    /** @throws SQLException if the database cannot be made */
    public SqliteStatementsClosed() throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite::memory:");
        connection = ds.getConnection();
        SqlitePreparedStatementNotClosed.Sql.fillKeyValueTable(connection);
    }

    @Override
    public void run() {
        work.request();
        try (PreparedStatement ps = connection.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
            ps.setLong(1, ++calls % SqlitePreparedStatementNotClosed.Sql.ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                found += rs.next() ? 1 : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
