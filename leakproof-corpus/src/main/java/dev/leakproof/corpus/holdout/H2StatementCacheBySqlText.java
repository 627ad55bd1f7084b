package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Reads an account's balance from an in-memory H2 database through a hand-rolled statement cache, a
 * {@code HashMap<String, PreparedStatement>} keyed by SQL text, as a DAO that "prepares each query once" does. The
 * common query has parameters and hits the cache; but every 20th request is an audit query whose SQL inlines the
 * request number as a literal comment tag, so its text is new each time and a new prepared statement (with H2's
 * parsed command, its expressions and its parameter list) is cached and never evicted or closed. About 2 KB of heap
 * per 20 iterations (estimated 2–6 KB before measuring; measured without leakproof: 100 B per iteration), without
 * bound: a heap leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 100,
        culprit = "org\\.h2|JdbcPreparedStatement|CommandContainer|HashMap", userFrame = "H2StatementCacheBySqlText",
        library = "H2", summary = "a PreparedStatement cache keyed by SQL text; every 20th query inlines a unique tag")
public final class H2StatementCacheBySqlText implements Runnable, AutoCloseable {
    private static final String BALANCE = "SELECT balance FROM account WHERE id = ?";
    private final Busy busy = new Busy();
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private long calls;
    private long total;

    /** @throws SQLException if the database cannot be made */
    public H2StatementCacheBySqlText() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:holdout-stmt-cache-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        connection = ds.getConnection();
        Tables.fillAccounts(connection);
    }

    @Override
    public void run() {
        busy.request();
        long id = ++calls % Tables.ACCOUNTS;
        String sql = calls % 20 == 0
                ? "SELECT balance FROM account WHERE id = ? /* audit request " + calls + " */"
                : BALANCE;
        try {
            PreparedStatement ps = prepared(sql);
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    total += rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    @Override
    public void close() throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
