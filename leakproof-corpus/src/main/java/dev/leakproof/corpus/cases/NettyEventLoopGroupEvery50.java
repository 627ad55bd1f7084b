package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every 50 iterations creates a one-thread Netty {@link NioEventLoopGroup} (a selector: descriptors), runs a task
 * on it (which starts its thread, named {@code nioEventLoopGroup-N-1}) and never shuts it down, as a client that
 * builds a group per connection attempt does. Live threads rise by one per 50 iterations (0.02 per iteration) and
 * descriptors with them: a leak. The groups are listed only so that {@link #close()} can shut them down.
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 50, culprit = "nioEventLoopGroup",
        userFrame = "NettyEventLoopGroupEvery50\\.run", library = "Netty",
        summary = "a NioEventLoopGroup(1) created and used every 50 iterations, never shut down")
public final class NettyEventLoopGroupEvery50 implements Runnable, AutoCloseable {
    private final Work work = new Work();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private long calls;

    /** Creates the case; no group yet. */
    public NettyEventLoopGroupEvery50() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 50 == 0) {
            EventLoopGroup group = new NioEventLoopGroup(1);
            group.execute(work::sink);
            groups.add(group);
        }
    }

    @Override
    public void close() {
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : groups) {
            g.terminationFuture().syncUninterruptibly();
        }
    }
}
