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

/**
 * Every 10 iterations connects to a loopback server of the case's own, accepts, exchanges a byte, and closes both
 * ends. Descriptors come and go: not a leak (the twin of {@link SocketEvery300}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "fds", summary = "a loopback TCP connection every 10 iterations, both ends closed")
public final class SocketsClosed implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final ServerSocketChannel server;
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private long calls;

    /** @throws IOException if the loopback server cannot bind */
    public SocketsClosed() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 10 == 0) {
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                client.write(one.clear().put((byte) 1).flip());
                accepted.read(one.clear());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
