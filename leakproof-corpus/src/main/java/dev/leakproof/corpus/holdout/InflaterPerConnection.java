package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Decompresses one small message per iteration with the {@link Inflater} of the connection it came on, from a map
 * of per-connection inflaters ("permessage-deflate" style: one zlib stream per peer). A new connection arrives every
 * 250 iterations and gets its own inflater; connections are never removed from the map nor their inflaters
 * {@link Inflater#end() ended}, so the JDK's cleaner never runs for them either. Each holds zlib's native inflate
 * state (about 7 KB, malloc'd by {@code inflateInit2}; zlib's 32 KB window is not allocated for these one-shot
 * messages: first estimated at ~40 KB with the window, measured without leakproof at 7.3 KB per inflater), ~29 B
 * per iteration, plus under 1 B of heap: a native leak (glibc, outside the JVM's own accounting).
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 29, culprit = "inflate|zlib|libz|Inflater",
        userFrame = "InflaterPerConnection", flags = "--native-culprits",
        summary = "a java.util.zip.Inflater per connection (every 250 iterations) kept in a map, never ended")
public final class InflaterPerConnection implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final Map<Long, Inflater> byConnection = new HashMap<>();
    private final byte[] message;
    private final int messageLength;
    private final byte[] out = new byte[4096];
    private long calls;
    private long connection;
    private long bytes;

    /** Compresses the message every connection will receive. */
    public InflaterPerConnection() {
        byte[] plain = ("{\"op\":\"quote\",\"symbol\":\"ACME\",\"bid\":101.25,\"ask\":101.50,\"size\":300}"
                .repeat(8)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Deflater d = new Deflater();
        try {
            d.setInput(plain);
            d.finish();
            byte[] buf = new byte[1024];
            messageLength = d.deflate(buf);
            message = java.util.Arrays.copyOf(buf, messageLength);
        } finally {
            d.end();
        }
    }

    @Override
    public void run() {
        busy.request();
        if (++calls % 250 == 1) {
            connection++;
        }
        Inflater inflater = byConnection.computeIfAbsent(connection, c -> new Inflater());
        inflater.reset();
        inflater.setInput(message, 0, messageLength);
        try {
            bytes += inflater.inflate(out);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        byConnection.values().forEach(Inflater::end);
    }
}
