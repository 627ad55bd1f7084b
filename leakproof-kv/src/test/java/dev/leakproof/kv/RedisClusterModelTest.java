package dev.leakproof.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakproof.kv.model.ClusterModelContract;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The model-based test on the local Redis Cluster ({@link LocalRedisCluster}): every try's aliases and tags start
 * with its own namespace (unique across runs, since the cluster outlives the JVM), and are removed after the try.
 * Where docs/kv.md's table of guarantees lets Redis differ, the contract is told so: Redis's own clock decides
 * expiry (operations that set one are not generated), and {@code add} past the 64-bit range is refused with
 * {@code OutOfRangeException}. Fewer tries than on RocksDB, as every operation is a round trip.
 */
@ExtendWith(LocalRedisCluster.class)
class RedisClusterModelTest extends ClusterModelContract {

    @Override
    protected Cluster open(String namespace, InstantSource clock) {
        return Cluster.open(LocalRedisCluster.uri(""), ClusterOptions.defaults().withClock(clock).withWorkerThreads(2));
    }

    @Override
    protected Capabilities capabilities() {
        return new Capabilities(false, false, 100, 20);
    }

    /**
     * Removes every entry of the namespace, with its tag links, and then reads each tag once on the system clock,
     * which is far past the try's injected one: that read removes the index members no entry carries any more
     * (docs/kv.md: repaired lazily once older than the grace period), so the try leaves no key behind.
     */
    @Override
    protected void discard(String namespace, List<String> tags) {
        try (Cluster c = open(namespace, InstantSource.system())) {
            List<String> aliases;
            do {
                aliases = c.listAliases(namespace + "/", Cluster.MAX_PAGE).aliases();
                for (String alias : aliases) {
                    c.type(alias).ifPresent(type -> entry(c, alias, type).remove());
                }
            } while (!aliases.isEmpty());
            for (String tag : tags) {
                assertEquals(List.of(), c.tag(tag).getEntries(), "tag " + tag + " after its entries were removed");
            }
        }
    }

    private static Entry entry(Cluster c, String alias, EntryType type) {
        return switch (type) {
            case BLOB -> c.blob(alias);
            case INTEGER -> c.integer(alias);
            case DEQUE -> c.deque(alias);
            case SET -> c.set(alias);
        };
    }
}
