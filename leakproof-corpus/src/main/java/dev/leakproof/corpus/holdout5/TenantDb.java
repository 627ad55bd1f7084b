package dev.leakproof.corpus.holdout5;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteDataSource;

/** A tenant's own SQLite database file, for the tenant-database cases of this package. */
final class TenantDb {
    private TenantDb() {
    }

    /**
     * Opens (creating when new) the file {@code tenant-N.db} in {@code dir}, with one small table.
     *
     * @param dir    the directory of the tenants' files
     * @param tenant the tenant number
     * @return an open connection to the tenant's file
     * @throws SQLException if SQLite fails
     */
    static Connection open(Path dir, long tenant) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("tenant-" + tenant + ".db"));
        Connection c = ds.getConnection();
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS quota(id INTEGER PRIMARY KEY, used INTEGER)");
            s.executeUpdate("INSERT OR IGNORE INTO quota VALUES (1, " + tenant + ")");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * @param c a tenant's connection
     * @return the tenant's quota used
     * @throws SQLException if SQLite fails
     */
    static long used(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT used FROM quota WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
