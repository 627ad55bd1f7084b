package dev.leakproof.corpus.holdout5;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@link SqliteTenantConnectionsKept} with its fix: the tenants' connections live in a Caffeine cache of at most
 * 24, whose removal listener closes the connection it evicts (maintenance on the caller's thread, so eviction keeps
 * pace). A new tenant every 500 iterations: open descriptors climb by one per tenant for the first 24 tenants
 * (12,000 calls), then each new tenant's connection is balanced by an evicted one's close. Descriptors rise to a
 * bound and stay there: no leak. The tenants' files stay on disk, not open.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds", library = "sqlite-jdbc",
        summary = "sqlite-jdbc tenant connections in a Caffeine cache of 24 that closes what it evicts")
public final class SqliteTenantConnectionsEvicted implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final Path dir;
    private final Cache<Long, Connection> byTenant;
    private long calls;
    private long used;

    /** @throws IOException if the directory cannot be made */
    public SqliteTenantConnectionsEvicted() throws IOException {
        dir = Scratch.directory("holdout5-tenants-lru-");
        byTenant = Caffeine.newBuilder()
                .maximumSize(24)
                .executor(Runnable::run)
                .removalListener((Long tenant, Connection c, RemovalCause cause) -> closeEvicted(c))
                .build();
    }

    @Override
    public void run() {
        mill.once();
        long tenant = calls++ / 500;
        try {
            Connection c = byTenant.get(tenant, this::open);
            used += TenantDb.used(c);
        } catch (SQLException e) {
            throw new IllegalStateException("tenant " + tenant, e);
        }
    }

    private Connection open(long tenant) {
        try {
            return TenantDb.open(dir, tenant);
        } catch (SQLException e) {
            throw new IllegalStateException("tenant " + tenant, e);
        }
    }

    private static void closeEvicted(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing an evicted tenant's connection", e);
        }
    }

    @Override
    public void close() throws IOException {
        byTenant.invalidateAll();
        byTenant.cleanUp();
        Scratch.delete(dir);
    }
}
