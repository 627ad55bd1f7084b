package dev.leakproof.kv.internal.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakproof.kv.LocalRedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Commands of concurrent callers to one node share batches on one connection, each caller getting its own reply. */
@ExtendWith(LocalRedisCluster.class)
class PipelineTest {
    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    @Timeout(60)
    void commandsQueuedWhileTheNodeIsStoppedGoInOneBatchAndEachCallerGetsItsOwnReply() throws Exception {
        String tag = "{" + UUID.randomUUID() + "}";
        try (Router router = new Router(RedisConfig.parse(LocalRedisCluster.uri("commandTimeout=20000")), 30_000)) {
            int slot = Slots.of(b(tag));
            String node = router.nodeOf(slot);
            for (int i = 0; i < 8; i++) {
                assertEquals("OK", router.call(slot, false, b("SET"), b(tag + i), b("v" + i)));
            }
            long[] before = router.pipelineCounts();
            long pid = LocalRedisCluster.pid(Integer.parseInt(node.substring(node.lastIndexOf(':') + 1)));
            assertEquals(0, LocalRedisCluster.run(List.of("kill", "-STOP", Long.toString(pid))).exit());
            List<Thread> threads = new ArrayList<>();
            List<Object> replies = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            try {
                // the first caller becomes the combiner and waits on the stopped node
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
                // the other seven queue behind it
                while (router.queued(node) < 7) {
                    Thread.onSpinWait();
                }
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
            assertEquals(2, after[0] - before[0], "one batch for the first command, one for the seven queued behind it");
            assertEquals(8, after[1] - before[1]);
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
