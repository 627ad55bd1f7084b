package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Allocates about 2.3 MB of short-lived objects per iteration (32 arrays of 64 KiB, partly filled and
 * checksummed, and 2,000 small strings joined into a report) and keeps none of it past the iteration: a lot of
 * garbage, a heap that swings between collections, nothing retained: not a leak. About 200 µs per iteration.
 */
@Expect(verdict = Truth.NO_LEAK, summary = "~2.3 MB of short-lived garbage per iteration (arrays, strings), nothing kept")
public final class HeavyGarbage implements Runnable {
    private final CRC32 crc = new CRC32();
    private long calls;
    private long sink;

    /** Creates the case. */
    public HeavyGarbage() {
    }

    @Override
    public void run() {
        calls++;
        List<byte[]> blocks = new ArrayList<>(32);
        for (int i = 0; i < 32; i++) {
            byte[] b = new byte[64 * 1024];
            b[i] = (byte) calls;
            b[b.length - 1 - i] = (byte) i;
            blocks.add(b);
        }
        crc.reset();
        for (byte[] b : blocks) {
            crc.update(b, 0, 2048);
        }
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String line = "line " + i + " of call " + calls;
            report.append(line.length());
        }
        sink += crc.getValue() + report.length();
    }
}
