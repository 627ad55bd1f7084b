package dev.leakproof.kv;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ExitAfterBackgroundWorkTest}: makes RocksDB run background work on a database
 * with integer adds pending (a flush, and a compaction when asked), then lets {@code main} return. The JVM must
 * then exit: the parent bounds the wait.
 */
public final class ExitsAfterBackgroundWork {
    private ExitsAfterBackgroundWork() {
    }

    /**
     * @param args the database directory; {@code close} or {@code leave-open}; {@code return} (from main) or
     *             {@code System.exit}; optionally a
     *             checkpoint directory to make (which flushes) instead of a flush
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Cluster cluster = Cluster.open(dir, ClusterOptions.defaults().withWorkerThreads(1));
        IntegerEntry n = cluster.integer("n");
        n.update(0);
        for (int i = 0; i < 100; i++) {
            n.add(1);
        }
        for (int i = 0; i < 50; i++) {
            cluster.blob("blob-" + i).update(new byte[4096]);
        }
        if (args.length > 3) {
            cluster.checkpoint(Path.of(args[3]));
        } else {
            cluster.store().flush();
        }
        System.out.println("n=" + n.get());
        if (!args[1].equals("leave-open")) {
            cluster.close();
        }
        System.out.println("exiting by " + args[2]);
        System.out.flush();
        if (args[2].equals("System.exit")) {
            // as surefire's forked JVMs, application servers and most command-line tools end
            System.exit(0);
        }
    }
}
