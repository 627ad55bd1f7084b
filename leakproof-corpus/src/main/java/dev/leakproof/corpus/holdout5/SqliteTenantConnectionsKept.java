package dev.leakproof.corpus.holdout5;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A database file per tenant (sqlite-jdbc), a new tenant every 500 iterations, each iteration reading the current
 * tenant's quota. The connection to a tenant's file is opened on its first request and cached in a map by tenant
 * for ever; tenants that have moved on are never closed. Each open SQLite connection keeps its database file's
 * descriptor open (the journal is opened and removed within each write), so one descriptor per 500 iterations,
 * without bound: a descriptor leak (and the connections' native page caches with it).
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 500, culprit = "holdout5-tenants|tenant-|\\.db",
        userFrame = "SqliteTenantConnectionsKept|TenantDb", library = "sqlite-jdbc",
        summary = "a sqlite-jdbc connection per tenant file (a new tenant every 500 iterations), cached, never closed")
public final class SqliteTenantConnectionsKept implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Path dir;
    private final Map<Long, Connection> byTenant = new HashMap<>();
    private long calls;
    private long used;

    /** @throws IOException if the directory cannot be made */
    public SqliteTenantConnectionsKept() throws IOException {
        dir = Scratch.directory("holdout5-tenants-");
    }

    @Override
    public void run() {
        mill.once();
        long tenant = calls++ / 500;
        try {
            Connection c = byTenant.get(tenant);
            if (c == null) {
                c = TenantDb.open(dir, tenant);
                byTenant.put(tenant, c);
            }
            used += TenantDb.used(c);
        } catch (SQLException e) {
            throw new IllegalStateException("tenant " + tenant, e);
        }
    }

    @Override
    public void close() throws SQLException, IOException {
        for (Connection c : byTenant.values()) {
            c.close();
        }
        Scratch.delete(dir);
    }
}
