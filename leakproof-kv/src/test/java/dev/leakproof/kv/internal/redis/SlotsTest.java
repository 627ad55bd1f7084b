package dev.leakproof.kv.internal.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SlotsTest {
    static int slot(String key) {
        return Slots.of(key.getBytes(UTF_8));
    }

    /** The Redis Cluster specification's test vector for its CRC16 (XMODEM). */
    @Test
    void crc16MatchesTheSpecificationsTestVector() {
        byte[] b = "123456789".getBytes(UTF_8);
        assertEquals(0x31C3, Slots.crc16(b, 0, b.length));
    }

    /** Slots that Redis's CLUSTER KEYSLOT gives for these keys. */
    @Test
    void slotsMatchRedisClusterKeyslot() {
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(866, slot("hello"));
        assertEquals(0, slot(""));
    }

    /** The specification's hash tag rules, example by example. */
    @Test
    void hashTagsFollowTheSpecification() {
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
        // only the first { and the next } count
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
        // an empty tag hashes the whole key
        assertEquals(Slots.crc16("foo{}{bar}".getBytes(UTF_8), 0, 10) & 16383, slot("foo{}{bar}"));
        assertNotEquals(slot("bar"), slot("foo{}{bar}"));
        // no closing brace: the whole key
        assertEquals(Slots.crc16("foo{bar".getBytes(UTF_8), 0, 7) & 16383, slot("foo{bar"));
    }

    /** Every key of an entry carries one hash tag, whatever braces the alias holds. */
    @Test
    void everyKeyOfAnEntrySharesASlotWhateverBracesTheAliasHolds() {
        for (String alias : new String[] {"plain", "}starts", "{", "}", "a{}b", "x{y}z", "{}", "%7D}", "a}{b}c"}) {
            byte[] a = alias.getBytes(UTF_8);
            byte[] t = RedisBackend.tagPart(a);
            int slot = Slots.of(RedisBackend.key(t, 'e', a));
            for (char kind : new char[] {'q', 's', 'a'}) {
                assertEquals(slot, Slots.of(RedisBackend.key(t, kind, a)), alias + " kind " + kind);
            }
        }
        // aliases with one user hash tag share a slot (a batch over them is atomic)
        byte[] n = "{user42}.name".getBytes(UTF_8);
        byte[] c = "{user42}.cart".getBytes(UTF_8);
        assertEquals(Slots.of(RedisBackend.key(RedisBackend.tagPart(n), 'e', n)),
                Slots.of(RedisBackend.key(RedisBackend.tagPart(c), 'e', c)));
    }
}
