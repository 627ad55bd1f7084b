package dev.leakproof.corpus.holdout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Shared set-up of the held-out JDBC cases: a table of 500 accounts. */
final class Tables {
    static final int ACCOUNTS = 500;

    private Tables() {
    }

    static void fillAccounts(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE account (id BIGINT PRIMARY KEY, owner VARCHAR(40), balance BIGINT)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO account (id, owner, balance) VALUES (?, ?, ?)")) {
            for (int id = 0; id < ACCOUNTS; id++) {
                ps.setLong(1, id);
                ps.setString(2, "owner-" + id);
                ps.setLong(3, id * 100L);
                ps.executeUpdate();
            }
        }
    }
}
