package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A metrics relay that gives each active tenant its own UDP sender (a {@link DatagramChannel}, StatsD style) and
 * keeps the senders in a map by tenant. A new tenant becomes active every 1,000 iterations and the previous one is
 * deactivated; deactivation removes the tenant from the active set but never closes or removes its sender. The
 * map keeps every sender reachable, so no cleaner closes it either: one UDP socket descriptor per 1,000
 * iterations, 0.001 per iteration, never closed. Every 16 iterations the active tenant's sender sends a metric line
 * to the relay's own loopback receiver, which drains it (one descriptor, opened once).
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 1000,
        culprit = "socket|udp|DatagramChannel", userFrame = "UdpSenderPerTenantKept",
        summary = "a DatagramChannel sender per tenant (a new tenant every 1,000 iterations), deactivated, never closed")
public final class UdpSenderPerTenantKept implements Runnable, AutoCloseable {
    private final Mill mill = new Mill();
    private final DatagramChannel receiver;
    private final InetSocketAddress target;
    private final Set<Long> active = new HashSet<>();
    private final Map<Long, DatagramChannel> senders = new HashMap<>();
    private final ByteBuffer in = ByteBuffer.allocate(256);
    private final ByteBuffer line = ByteBuffer.allocate(64);
    private long tenant = -1;
    private long calls;
    private long received;

    /**
     * Binds the relay's loopback receiver.
     *
     * @throws IOException if it cannot be bound
     */
    public UdpSenderPerTenantKept() throws IOException {
        receiver = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver.configureBlocking(false);
        target = (InetSocketAddress) receiver.getLocalAddress();
    }

    @Override
    public void run() {
        mill.once();
        try {
            if (calls % 1000 == 0) {
                if (tenant >= 0) {
                    active.remove(tenant); // the bug: the sender stays open in the map
                }
                tenant = calls / 1000;
                active.add(tenant);
                senders.put(tenant, DatagramChannel.open());
            }
            if (calls % 16 == 0) {
                line.clear();
                line.put(("t" + tenant + ".req:1|c").getBytes(StandardCharsets.US_ASCII)).flip();
                senders.get(tenant).send(line, target);
            }
            in.clear();
            if (receiver.receive(in) != null) {
                received++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls++;
    }

    @Override
    public void close() throws IOException {
        for (DatagramChannel c : senders.values()) {
            c.close();
        }
        senders.clear();
        receiver.close();
    }
}
