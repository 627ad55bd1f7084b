package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A hand-made H2 connection pool: an idle deque and a set of leased connections (kept for diagnostics). Every
 * iteration borrows a connection, runs a lookup, and gives it back, except that one call in 100 takes an early
 * return on a "not found" path that skips the give-back. That connection stays in the leased set for ever (open,
 * with its H2 session), and the pool opens a new one on the next borrow: one H2 session per 100 iterations,
 * never closed or freed — a heap leak of a few KiB per lost lease. First written as 25 B per iteration; measured
 * 27.1–27.9 B (2.7 KiB per lost session), so the truth is 27.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 27,
        culprit = "org\\.h2|SessionLocal|JdbcConnection|leased|IdentityHashMap", userFrame = "H2PoolLeasesLost",
        library = "H2",
        summary = "a hand-made H2 pool; 1 borrow in 100 skips the give-back and stays leased (a session per 100)")
public final class H2PoolLeasesLost implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final JdbcDataSource source = new JdbcDataSource();
    private final Connection schema;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final Set<Connection> leased = Collections.newSetFromMap(new IdentityHashMap<>());
    private long calls;
    private long found;

    /**
     * Creates an in-memory database with a small table.
     *
     * @throws SQLException if H2 fails
     */
    public H2PoolLeasesLost() throws SQLException {
        source.setURL("jdbc:h2:mem:holdout3-pool-lost-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        schema = source.getConnection();
        try (Statement s = schema.createStatement()) {
            s.execute("CREATE TABLE accounts(id INT PRIMARY KEY, balance BIGINT)");
            s.execute("INSERT INTO accounts SELECT X, X * 10 FROM SYSTEM_RANGE(1, 500)");
        }
    }

    @Override
    public void run() {
        grind.once();
        try {
            Connection c = borrow();
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
                ps.setInt(1, (int) (calls % 500) + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found += rs.getLong(1);
                    }
                }
            }
            if (calls++ % 100 == 99) {
                return; // the "not found" path of the real code: the give-back below is skipped
            }
            giveBack(c);
        } catch (SQLException e) {
            throw new IllegalStateException("lookup failed", e);
        }
    }

    private Connection borrow() throws SQLException {
        Connection c = idle.pollFirst();
        if (c == null) {
            c = source.getConnection();
        }
        leased.add(c);
        return c;
    }

    private void giveBack(Connection c) {
        leased.remove(c);
        idle.addFirst(c);
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : leased) {
            c.close();
        }
        for (Connection c : idle) {
            c.close();
        }
        try (Statement s = schema.createStatement()) {
            s.execute("SHUTDOWN");
        }
        schema.close();
    }
}
