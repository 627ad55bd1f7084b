package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A server that gives each client a 64 KiB direct receive buffer, registered in a map by client id. A client
 * idles out every 8,192 iterations and a new one connects; the idle handler removes the client from the live set
 * but not its buffer from the buffer map, so every departed client's buffer stays: 64 KiB of direct memory per
 * 8,192 iterations, 8 B per iteration in rare 64 KiB steps, never freed. Each iteration writes a little into the
 * current client's buffer.
 */
@Expect(verdict = Truth.LEAK, probe = "direct", perIteration = 8,
        culprit = "direct|ByteBuffer", userFrame = "IdleClientBuffersKept",
        summary = "a 64 KiB direct buffer per client, a client idled out every 8,192 iterations, its buffer never dropped")
public final class IdleClientBuffersKept implements Runnable {
    private final Mill mill = new Mill();
    private final Set<Long> live = new HashSet<>();
    private final Map<Long, ByteBuffer> buffers = new HashMap<>();
    private long client = -1;
    private long calls;

    /** The first client connects on the first call. */
    public IdleClientBuffersKept() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 8192 == 0) {
            if (client >= 0) {
                live.remove(client); // the idle handler: the buffer map is forgotten
            }
            client = calls / 8192;
            live.add(client);
            buffers.put(client, ByteBuffer.allocateDirect(64 * 1024));
        }
        ByteBuffer b = buffers.get(client);
        b.putLong((int) ((calls * 8) % (64 * 1024)), mill.sink());
        calls++;
    }
}
