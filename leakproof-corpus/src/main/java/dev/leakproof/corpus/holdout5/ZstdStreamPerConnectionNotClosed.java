package dev.leakproof.corpus.holdout5;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A compressed channel per client connection: a zstd-jni {@link ZstdOutputStreamNoFinalizer} (level 1, the
 * finalizer-free stream that zstd-jni recommends when the code closes its streams) over the connection's socket, one
 * 256-byte message written and flushed per iteration, a new connection every 2,000 iterations. When a connection ends
 * the code drops its stream without {@code close()} (the socket is closed elsewhere), and nothing else frees the native
 * {@code ZSTD_CStream}: its window and its block buffers (several hundred KB at level 1) stay malloc'd for ever. First
 * written as about 800 KB per stream, 400 B per iteration; measured 671–686 B per iteration in each interval (1.37 MB
 * per stream), so the truth is 685. The socket here discards what it is given.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 685, culprit = "malloc|zstd|ZSTD",
        userFrame = "ZstdStreamPerConnectionNotClosed", library = "zstd-jni", flags = "--native-culprits",
        summary = "a zstd-jni ZstdOutputStreamNoFinalizer per connection (every 2,000 iterations), dropped unclosed")
public final class ZstdStreamPerConnectionNotClosed implements Runnable {
    private final Mill mill = new Mill();
    private final byte[] message = new byte[256];
    private final Socketish socket = new Socketish();
    private ZstdOutputStreamNoFinalizer channel;
    private long calls;

    /** No connection yet. */
    public ZstdStreamPerConnectionNotClosed() {
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) ("GET /orders/ HTTP/1.1 host: example.test ".charAt(i % 41));
        }
    }

    @Override
    public void run() {
        mill.once();
        try {
            if (calls++ % 2_000 == 0) {
                channel = new ZstdOutputStreamNoFinalizer(socket, 1); // the old connection's stream is dropped
            }
            message[0] = (byte) calls;
            channel.write(message);
            channel.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection's socket that counts and discards what is written to it. */
    private static final class Socketish extends OutputStream {
        private long written;

        @Override
        public void write(int b) {
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            written += len;
        }
    }
}
