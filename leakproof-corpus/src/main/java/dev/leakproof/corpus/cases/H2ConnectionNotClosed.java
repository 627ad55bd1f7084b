package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Queries an in-memory H2 database on every iteration through a long-lived connection and, every 20 iterations,
 * opens an extra connection for an "audit" query, parks it in a list of audit connections (as a hand-rolled pool
 * that only ever grows) and never closes it. H2 keeps every open session in its database's session list, so
 * sessions, their connections and their state pile up on the heap, one per 20 iterations, without bound: a leak.
 * (A connection dropped without close would not do: H2's {@code CloseWatcher} closes connections that become
 * unreachable, which is why the list is part of the case.)
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 50, culprit = "org\\.h2|SessionLocal|JdbcConnection|\\.audits",
        userFrame = "H2ConnectionNotClosed\\.run", library = "H2",
        summary = "an H2 connection opened every 20 iterations, kept open in a list")
public final class H2ConnectionNotClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final JdbcDataSource ds = new JdbcDataSource();
    private final Connection main;
    private final PreparedStatement lookup;
    private final List<Connection> audits = new ArrayList<>();
    private long calls;

    /** @throws SQLException if the database cannot be made */
    public H2ConnectionNotClosed() throws SQLException {
        ds.setURL("jdbc:h2:mem:corpus-h2-leak-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        main = ds.getConnection();
        SqlitePreparedStatementNotClosed.Sql.fillKeyValueTable(main);
        lookup = main.prepareStatement("SELECT v FROM kv WHERE k = ?");
    }

    @Override
    public void run() {
        work.request();
        try {
            lookup.setLong(1, ++calls % SqlitePreparedStatementNotClosed.Sql.ROWS);
            try (ResultSet rs = lookup.executeQuery()) {
                rs.next();
            }
            if (calls % 20 == 0) {
                Connection audit = ds.getConnection();
                try (PreparedStatement ps = audit.prepareStatement("SELECT COUNT(*) FROM kv");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
                audits.add(audit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try (var s = main.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
