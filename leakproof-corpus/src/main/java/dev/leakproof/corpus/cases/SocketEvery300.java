package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Every 300 iterations connects a {@link SocketChannel} to a loopback server of the case's own, accepts it, sends
 * a byte, and keeps both ends in a "connections" list that is never pruned. Descriptors rise by two per 300
 * iterations (about 0.0067 per iteration): a leak.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 2.0 / 300, culprit = "socket|tcp",
        userFrame = "SocketEvery300\\.run", summary = "a loopback TCP connection (both ends) every 300 iterations, never closed")
public final class SocketEvery300 implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final ServerSocketChannel server;
    private final List<SocketChannel> connections = new ArrayList<>();
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private long calls;

    /** @throws IOException if the loopback server cannot bind */
    public SocketEvery300() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 300 == 0) {
            try {
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept();
                client.write(one.clear().put((byte) 1).flip());
                accepted.read(one.clear());
                connections.add(client);
                connections.add(accepted);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : connections) {
            c.close();
        }
        server.close();
    }
}
