package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Opens a connection to an in-memory H2 database on every iteration, runs a prepared query and closes the
 * statement, result set and connection with try-with-resources. A closed session leaves H2's session list; the
 * database itself (1,000 rows) is made once: not a leak (the twin of {@link H2ConnectionNotClosed}).
 */
@Expect(verdict = Truth.NO_LEAK, library = "H2", summary = "an H2 connection + query per iteration, all closed")
public final class H2ConnectionsClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final JdbcDataSource ds = new JdbcDataSource();
    private final Connection keeper;
    private long calls;
    private long found;

    /** @throws SQLException if the database cannot be made */
    public H2ConnectionsClosed() throws SQLException {
        ds.setURL("jdbc:h2:mem:corpus-h2-clean-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        keeper = ds.getConnection();
        SqlitePreparedStatementNotClosed.Sql.fillKeyValueTable(keeper);
    }

    @Override
    public void run() {
        work.request();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
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
        try (var s = keeper.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
