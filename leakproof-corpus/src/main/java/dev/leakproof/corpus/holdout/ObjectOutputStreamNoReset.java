package dev.leakproof.corpus.holdout;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Streams one small {@code Tick} (a {@code long} and an {@code int}, 24 B) per iteration over a long-lived
 * {@link ObjectOutputStream} to a connection (here a sink that counts and discards), and never calls
 * {@link ObjectOutputStream#reset()}. The stream remembers every object it has written in its handle table (so a
 * second write of the same object can send a back-reference), so every tick stays reachable from the stream: the
 * tick itself (24 B) plus its entries in the table's {@code objs} (4 B) and {@code next} (4 B) arrays and a third
 * of a {@code spine} slot (1.3 B), about 33 B per iteration before the arrays' doubling slack, without bound: a
 * heap leak.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 33,
        culprit = "Tick|HandleTable|ObjectOutputStream|Object\\[\\]", userFrame = "ObjectOutputStreamNoReset\\.run",
        summary = "one object per iteration written to a long-lived ObjectOutputStream never reset() (handle table)")
public final class ObjectOutputStreamNoReset implements Runnable, AutoCloseable {
    private final Busy busy = new Busy();
    private final CountingSink sink = new CountingSink();
    private final ObjectOutputStream out;
    private long calls;

    /** A market tick. @param seq its sequence number @param code its instrument */
    record Tick(long seq, int code) implements Serializable {
    }

    /** Stands for the socket: counts bytes and drops them. */
    static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** @throws IOException never (the sink does not fail) */
    public ObjectOutputStreamNoReset() throws IOException {
        out = new ObjectOutputStream(sink);
    }

    @Override
    public void run() {
        busy.request();
        try {
            out.writeObject(new Tick(++calls, (int) (calls & 0xff)));
            if ((calls & 63) == 0) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
