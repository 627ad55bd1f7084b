package dev.leakproof.kv.internal;

/** The 8-byte big-endian encoding of integer entries' values. */
public final class Keys8 {
    private Keys8() {
    }

    /** @param v a value @return its 8 bytes */
    public static byte[] of(long v) {
        byte[] b = new byte[8];
        Keys.putLong(b, 0, v);
        return b;
    }

    /** @param b 8 bytes @return the value */
    public static long value(byte[] b) {
        return Keys.getLong(b, 0);
    }
}
