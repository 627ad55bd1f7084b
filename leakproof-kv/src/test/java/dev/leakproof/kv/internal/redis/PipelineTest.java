package dev.leakproof.kv.internal.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.kv.LocalRedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Async commands to one node share batches on one connection, each future getting its own reply; blocking callers
 * never wait behind one another.
 */
@ExtendWith(LocalRedisCluster.class)
class PipelineTest {
    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /**
     * Blocking callers do not park behind one another: while the first sends (here it waits on a stopped node),
     * each of the seven others sends on a connection of its own, and every caller gets its own reply once the node
     * answers. (They used to queue behind the sender and go in its next batch: on 2 cores, waking three of four
     * callers every round trip made four threads 0.60× Jedis.)
     */
    @Test
    @Timeout(60)
    void blockingCallersWhileTheNodeIsBusyEachSendOnAConnectionOfTheirOwnAndGetTheirOwnReply() throws Exception {
        String tag = "{" + UUID.randomUUID() + "}";
        try (Router router = new Router(RedisConfig.parse(LocalRedisCluster.uri("commandTimeout=20000")), 30_000)) {
            int slot = Slots.of(b(tag));
            String node = router.nodeOf(slot);
            for (int i = 0; i < 8; i++) {
                assertEquals("OK", router.call(slot, false, b("SET"), b(tag + i), b("v" + i)));
            }
            long[] before = router.pipelineCounts();
            int openBefore = router.openConnections();
            long pid = LocalRedisCluster.pid(Integer.parseInt(node.substring(node.lastIndexOf(':') + 1)));
            assertEquals(0, LocalRedisCluster.run(List.of("kill", "-STOP", Long.toString(pid))).exit());
            List<Thread> threads = new ArrayList<>();
            List<Object> replies = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            try {
                // the first caller sends and waits on the stopped node
                threads.add(Thread.ofPlatform().start(() -> replies.add(List.of(0, router.call(slot, true, b("GET"), b(tag + 0))))));
                while (router.pipelineCounts()[0] == before[0]) {
                    Thread.onSpinWait();
                }
                for (int i = 1; i < 8; i++) {
                    int n = i;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            replies.add(List.of(n, router.call(slot, true, b("GET"), b(tag + n))));
                        } catch (RuntimeException | Error e) {
                            errors.add(e);
                        }
                    }));
                }
                // the other seven each send on a connection of their own, none queued
                while (router.pipelineCounts()[2] - before[2] < 7) {
                    Thread.onSpinWait();
                }
                assertEquals(0, router.queued(node), "no blocking caller waits behind another");
                assertTrue(router.openConnections() >= openBefore + 7, "a connection each: " + router.openConnections());
            } finally {
                LocalRedisCluster.run(List.of("kill", "-CONT", Long.toString(pid)));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            assertEquals(8, replies.size());
            for (Object o : replies) {
                List<?> r = (List<?>) o;
                assertArrayEquals(b("v" + r.get(0)), (byte[]) r.get(1), "caller " + r.get(0) + " got its own reply");
            }
            long[] after = router.pipelineCounts();
            assertEquals(1, after[0] - before[0], "one batch: the first caller's own command");
            assertEquals(7, after[2] - before[2]);
        }
    }

    @Test
    @Timeout(60)
    void asyncCommandsQueuedWhileTheNodeIsStoppedGoInOneBatchAndEachFutureGetsItsOwnReply() throws Exception {
        String tag = "{" + UUID.randomUUID() + "}";
        try (Router router = new Router(RedisConfig.parse(LocalRedisCluster.uri("commandTimeout=20000")), 30_000)) {
            int slot = Slots.of(b(tag));
            String node = router.nodeOf(slot);
            int n = 100;
            for (int i = 0; i < n; i++) {
                assertEquals("OK", router.call(slot, false, b("SET"), b(tag + i), b("v" + i)));
            }
            long[] before = router.pipelineCounts();
            long pid = LocalRedisCluster.pid(Integer.parseInt(node.substring(node.lastIndexOf(':') + 1)));
            assertEquals(0, LocalRedisCluster.run(List.of("kill", "-STOP", Long.toString(pid))).exit());
            List<java.util.concurrent.CompletableFuture<Object>> futures = new ArrayList<>();
            try {
                futures.add(router.callAsync(slot, true, b("GET"), b(tag + 0)));
                // the node's I/O thread takes the first command and waits on the stopped node
                while (router.pipelineCounts()[0] == before[0]) {
                    Thread.onSpinWait();
                }
                long first = router.pipelineCounts()[1] - before[1];
                for (int i = 1; i < n; i++) {
                    futures.add(router.callAsync(slot, true, b("GET"), b(tag + i)));
                }
                while (router.queued(node) < n - first) {
                    Thread.onSpinWait();
                }
            } finally {
                LocalRedisCluster.run(List.of("kill", "-CONT", Long.toString(pid)));
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(b("v" + i), (byte[]) futures.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS),
                        "future " + i + " got its own reply");
            }
            long[] after = router.pipelineCounts();
            assertEquals(2, after[0] - before[0], "the first command, then the 99 queued behind it in one batch");
            assertEquals(n, after[1] - before[1]);
        }
    }
}
