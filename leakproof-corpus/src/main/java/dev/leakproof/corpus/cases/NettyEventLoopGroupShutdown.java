package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * Every 50 iterations creates a one-thread Netty {@link NioEventLoopGroup}, runs a task on it, and shuts it down
 * gracefully, waiting for termination (which closes its selector and ends its thread). Threads and descriptors
 * come and go: not a leak (the twin of {@link NettyEventLoopGroupEvery50}).
 */
@Expect(verdict = Truth.NO_LEAK, probe = "threads", library = "Netty",
        summary = "a NioEventLoopGroup(1) every 50 iterations, shut down and awaited")
public final class NettyEventLoopGroupShutdown implements Runnable {
    private final Work work = new Work();
    private long calls;

    /** Creates the case. */
    public NettyEventLoopGroupShutdown() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 50 == 0) {
            EventLoopGroup group = new NioEventLoopGroup(1);
            group.submit(work::sink).syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
