package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A reporting job on one long-lived sqlite-jdbc connection: every 25 iterations it runs an ad-hoc
 * {@code createStatement().executeQuery(...)}, reads the rows and closes the {@link ResultSet} in a
 * try-with-resources, but never the {@link Statement}. In sqlite-jdbc closing a result set only resets the
 * prepared {@code sqlite3_stmt}; the statement is finalized by {@code Statement.close()} or by closing the
 * connection, and the driver's connection keeps a handle to every unfinalized statement, so dropping the Java
 * object does not free it either. Each forgotten statement keeps its compiled SQLite program (and the sorter and
 * aggregate state of its GROUP BY / ORDER BY) in native memory — a native leak with a small heap trail. First
 * estimated at 2 KB a statement (80 B per iteration); measured without leakproof at 5 KB a statement, 200 B per
 * iteration.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 200,
        culprit = "sqlite|malloc", userFrame = "SqliteStatementsOnlyResultSetClosed", library = "sqlite-jdbc",
        flags = "--native-culprits",
        summary = "sqlite-jdbc createStatement() every 25 iterations: ResultSet closed, Statement never closed")
public final class SqliteStatementsOnlyResultSetClosed implements Runnable, AutoCloseable {
    private final Toil toil = new Toil();
    private final Connection connection;
    private long calls;
    private long sum;

    /**
     * Opens an in-memory database with 200 invoices.
     *
     * @throws SQLException if sqlite-jdbc cannot open it
     */
    public SqliteStatementsOnlyResultSetClosed() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer TEXT, cents INTEGER)");
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO invoice VALUES (?, ?, ?)")) {
            for (int i = 0; i < 200; i++) {
                ps.setInt(1, i);
                ps.setString(2, "customer-" + i % 17);
                ps.setLong(3, 1_000L + i * 37L);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void run() {
        toil.request();
        if (calls++ % 25 != 0) {
            return;
        }
        try {
            Statement report = connection.createStatement();
            try (ResultSet rs = report.executeQuery(
                    "SELECT customer, SUM(cents) FROM invoice WHERE cents > 1500 GROUP BY customer ORDER BY 2 DESC")) {
                while (rs.next()) {
                    sum += rs.getLong(2);
                }
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
