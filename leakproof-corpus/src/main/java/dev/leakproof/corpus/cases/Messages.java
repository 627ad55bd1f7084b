package dev.leakproof.corpus.cases;

import java.nio.charset.StandardCharsets;

/** Compressible payloads for the compression cases, the same on every run. */
final class Messages {
    private Messages() {
    }

    /**
     * @param size bytes
     * @return log-like text of that size
     */
    static byte[] text(int size) {
        StringBuilder sb = new StringBuilder(size + 64);
        for (int i = 0; sb.length() < size; i++) {
            sb.append("2026-01-01T00:00:").append(i % 60).append(" INFO request ").append(i * 7919 % 10007)
                    .append(" served in ").append(i % 13).append(" ms\n");
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(b, size);
    }
}
