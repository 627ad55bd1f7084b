package dev.leakproof.kv.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key layout of leakproof-kv in RocksDB's single keyspace. Aliases and tags never contain NUL (it is
 * rejected at the API), so NUL separates the parts of composite keys and prefix scans never bleed into a
 * neighbour.
 * <pre>
 * 'e' alias                      -> [type:1][expiry millis:8][payload]   the entry
 * 'q' alias 0 index:8            -> element bytes                        deque elements (index sign-flipped, big-endian)
 * 's' alias 0 element            -> (empty)                              set elements
 * 't' tag 0 alias                -> (empty)                              tag to entries
 * 'a' alias 0 tag                -> (empty)                              entry to tags
 * </pre>
 */
final class Keys {
    static final byte ENTRY = 'e';
    static final byte DEQUE_ELEMENT = 'q';
    static final byte SET_ELEMENT = 's';
    static final byte TAG_TO_ALIAS = 't';
    static final byte ALIAS_TO_TAG = 'a';

    private Keys() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] entry(byte[] alias) {
        byte[] k = new byte[1 + alias.length];
        k[0] = ENTRY;
        System.arraycopy(alias, 0, k, 1, alias.length);
        return k;
    }

    /** @return {@code kind name 0} : the prefix of every composite key under {@code name} */
    static byte[] prefix(byte kind, byte[] name) {
        byte[] k = new byte[name.length + 2];
        k[0] = kind;
        System.arraycopy(name, 0, k, 1, name.length);
        k[name.length + 1] = 0;
        return k;
    }

    static byte[] composite(byte kind, byte[] name, byte[] suffix) {
        byte[] p = prefix(kind, name);
        byte[] k = Arrays.copyOf(p, p.length + suffix.length);
        System.arraycopy(suffix, 0, k, p.length, suffix.length);
        return k;
    }

    static byte[] dequeElement(byte[] alias, long index) {
        byte[] idx = new byte[8];
        putLong(idx, 0, index ^ Long.MIN_VALUE);
        return composite(DEQUE_ELEMENT, alias, idx);
    }

    /** @return the smallest key greater than every key starting with {@code prefix} */
    static byte[] upperBound(byte[] prefix) {
        byte[] b = prefix.clone();
        // prefixes end in NUL, so incrementing the last byte never overflows
        b[b.length - 1]++;
        return b;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
