package dev.leakproof.kv.internal.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
    @Test
    void seedsCredentialsAndOptionsAreParsed() {
        RedisConfig c = RedisConfig.parse(URI.create(
                "redis://app:s%40cret@10.0.0.1:7000,10.0.0.2:7001?connectTimeout=250&commandTimeout=900&connectionsPerNode=3&replySpin=0"));
        assertEquals(List.of("10.0.0.1:7000", "10.0.0.2:7001"), c.seeds());
        assertEquals("app", c.user());
        assertEquals("s@cret", c.password());
        assertEquals(250, c.connectTimeoutMillis());
        assertEquals(900, c.commandTimeoutMillis());
        assertEquals(3, c.connectionsPerNode());
        assertEquals(0, c.replySpinMicros());
        assertFalse(c.toString().contains("cret"), "the password never shows: " + c);
        RedisConfig d = RedisConfig.parse(URI.create("redis://127.0.0.1:7101"));
        assertNull(d.user());
        assertNull(d.password());
        assertEquals(RedisConfig.COMMAND_TIMEOUT_MILLIS, d.commandTimeoutMillis());
        assertEquals(RedisConfig.REPLY_SPIN_MICROS, d.replySpinMicros());
        assertEquals(1_000_000, RedisConfig.parse(URI.create("redis://127.0.0.1:7101?replySpin=1000000")).replySpinMicros());
    }

    @Test
    void eachMalformedUriIsRefusedNamingTheProblem() {
        assertMessage("TLS (rediss://) is not supported yet", "rediss://127.0.0.1:7101");
        assertMessage("got scheme 'http'", "http://127.0.0.1:7101");
        assertMessage("is not host:port", "redis://127.0.0.1");
        assertMessage("has no numeric port", "redis://127.0.0.1:abc");
        assertMessage("port 70000 is out of range", "redis://127.0.0.1:70000");
        assertMessage("is not host:port", "redis://127.0.0.1:7101,");
        assertMessage("unknown option 'timeout'", "redis://127.0.0.1:7101?timeout=5");
        assertMessage("commandTimeout must be a whole number", "redis://127.0.0.1:7101?commandTimeout=2s");
        assertMessage("has no path", "redis://127.0.0.1:7101/0");
        assertMessage("replySpin must be 0 to 1000000 µs, got -1", "redis://127.0.0.1:7101?replySpin=-1");
        assertMessage("replySpin must be 0 to 1000000 µs, got 1000001", "redis://127.0.0.1:7101?replySpin=1000001");
        assertMessage("replySpin must be a whole number of µs, got '50us'", "redis://127.0.0.1:7101?replySpin=50us");
    }

    private static void assertMessage(String expected, String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisConfig.parse(URI.create(uri)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
