package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A hand-made H2 connection pool used correctly: every borrow is given back. One connection serves ordinary
 * calls; every 5,000 calls a report borrows 4 connections at once (first at call 4,999) and gives them all back,
 * so the pool grows to 4 idle connections at the first report and never past it. Heap steps once, early, by three
 * H2 sessions, then stays flat: a pool reaching its working size, not a leak. Each iteration does 5 rounds of work
 * (~100 µs) so that a first pass stays near 50,000 iterations and the step lands early in it.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap", library = "H2",
        summary = "a hand-made H2 pool, every lease given back; a 4-lease report every 5,000 calls (4 connections)")
public final class H2PoolPeakFour implements Runnable, AutoCloseable {
    private final Grind grind = new Grind();
    private final JdbcDataSource source = new JdbcDataSource();
    private final Connection schema;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private long calls;
    private long total;

    /**
     * Creates an in-memory database with a small table.
     *
     * @throws SQLException if H2 fails
     */
    public H2PoolPeakFour() throws SQLException {
        source.setURL("jdbc:h2:mem:holdout3-pool-peak-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        schema = source.getConnection();
        try (Statement s = schema.createStatement()) {
            s.execute("CREATE TABLE orders(id INT PRIMARY KEY, amount BIGINT)");
            s.execute("INSERT INTO orders SELECT X, X * 3 FROM SYSTEM_RANGE(1, 500)");
        }
    }

    @Override
    public void run() {
        grind.times(5);
        try {
            int leases = calls % 5_000 == 4_999 ? 4 : 1;
            List<Connection> held = new ArrayList<>(leases);
            for (int i = 0; i < leases; i++) {
                Connection c = idle.pollFirst();
                held.add(c != null ? c : source.getConnection());
            }
            for (Connection c : held) {
                total += amount(c, (int) (calls % 500) + 1);
            }
            for (Connection c : held) {
                idle.addFirst(c);
            }
            calls++;
        } catch (SQLException e) {
            throw new IllegalStateException("lookup failed", e);
        }
    }

    private static long amount(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT amount FROM orders WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : idle) {
            c.close();
        }
        try (Statement s = schema.createStatement()) {
            s.execute("SHUTDOWN");
        }
        schema.close();
    }
}
