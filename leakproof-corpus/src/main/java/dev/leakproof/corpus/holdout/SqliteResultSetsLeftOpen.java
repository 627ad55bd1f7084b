package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteDataSource;

/**
 * Looks an account up in an in-memory SQLite database through sqlite-jdbc on every iteration, reusing one
 * {@link PreparedStatement} prepared at start, and never closes the {@link ResultSet}s it gets. JDBC closes a
 * statement's current result set when the statement is executed again, and sqlite-jdbc does so by resetting the
 * one native {@code sqlite3_stmt} it owns: no native or Java object is left per query, only the one statement and
 * its one open cursor at any time. Native memory steps once (the database and the statement) and stays flat: no
 * leak, though every result set is "leaked" in the source.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "sqlite-jdbc",
        summary = "one reused sqlite-jdbc PreparedStatement; its ResultSets never closed (re-execution closes them)")
public final class SqliteResultSetsLeftOpen implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final Connection connection;
    private final PreparedStatement balance;
    private long calls;
    private long total;

    /** @throws SQLException if the database cannot be made */
    public SqliteResultSetsLeftOpen() throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite::memory:");
        connection = ds.getConnection();
        Tables.fillAccounts(connection);
        balance = connection.prepareStatement("SELECT balance FROM account WHERE id = ?");
    }

    @Override
    public void run() {
        busy.request();
        try {
            balance.setLong(1, ++calls % Tables.ACCOUNTS);
            ResultSet rs = balance.executeQuery();
            if (rs.next()) {
                total += rs.getLong(1);
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
