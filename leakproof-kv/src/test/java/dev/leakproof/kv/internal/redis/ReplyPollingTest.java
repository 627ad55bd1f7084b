package dev.leakproof.kv.internal.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.kv.LocalRedisCluster;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A lone blocking caller reads its reply by polling the socket; replies of any size arrive whole either way. */
@ExtendWith(LocalRedisCluster.class)
class ReplyPollingTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aLoneCallerReadsEveryReplyByPollingWhenTheSpinOutlastsTheRoundTrip() {
        String tag = "{" + UUID.randomUUID() + "}";
        // a spin of 1 s: every reply of a live node arrives while its caller polls
        try (Router router = new Router(RedisConfig.parse(LocalRedisCluster.uri("replySpin=1000000")), 30_000)) {
            int slot = Slots.of(b(tag));
            long before = router.pipelineCounts()[3];
            for (int i = 0; i < 200; i++) {
                assertEquals("OK", router.call(slot, false, b("SET"), b(tag + i), b("v" + i)));
                assertArrayEquals(b("v" + i), (byte[]) router.call(slot, true, b("GET"), b(tag + i)));
            }
            // at least the 400 (a redirect and the map's refresh after it are polled replies too), and none outlasted
            assertTrue(router.pipelineCounts()[3] - before >= 400, "replies polled");
            assertEquals(0, router.pipelineCounts()[4], "polls that ended without their reply");
        }
    }

    @Test
    void repliesLargerThanThePollBufferArriveWhole() {
        String tag = "{" + UUID.randomUUID() + "}";
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        ThreadLocalRandom.current().nextBytes(big);
        for (String spin : new String[] {"replySpin=1000000", "replySpin=0"}) {
            try (Router router = new Router(RedisConfig.parse(LocalRedisCluster.uri(spin)), 30_000)) {
                int slot = Slots.of(b(tag));
                assertEquals("OK", router.call(slot, false, b("SET"), b(tag), big));
                assertArrayEquals(big, (byte[]) router.call(slot, true, b("GET"), b(tag)), spin);
                assertArrayEquals(b("after"), (byte[]) router.call(slot, true, b("ECHO"), b("after")),
                        spin + ": the stream is in step after the big reply");
            }
        }
    }

    @Test
    void withNoSpinNothingIsPolled() {
        String tag = "{" + UUID.randomUUID() + "}";
        try (Router router = new Router(RedisConfig.parse(LocalRedisCluster.uri("replySpin=0")), 30_000)) {
            int slot = Slots.of(b(tag));
            for (int i = 0; i < 50; i++) {
                assertEquals("OK", router.call(slot, false, b("SET"), b(tag), b("v" + i)));
            }
            assertEquals(0, router.pipelineCounts()[3]);
        }
    }
}
