package dev.leakproof.kv.internal.redis;

/**
 * Redis Cluster's key-to-slot function: CRC16-XMODEM (polynomial 0x1021, initial value 0) of the key modulo
 * 16,384, hashing only the part between the first {@code '{'} and the next {@code '}'} when that part is not
 * empty (a hash tag). Source: the Redis Cluster specification, "Keys distribution model", whose reference
 * implementation this follows (including its test vector: CRC16 of "123456789" is 0x31C3).
 */
final class Slots {
    static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private Slots() {
    }

    /** @return CRC16-XMODEM of {@code bytes[from, to)} */
    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** @return the hash slot of a key, honouring a hash tag */
    static int of(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int j = open + 1; j < key.length; j++) {
                if (key[j] == '}') {
                    if (j > open + 1) {
                        return crc16(key, open + 1, j) & (COUNT - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, 0, key.length) & (COUNT - 1);
    }
}
