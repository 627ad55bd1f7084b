package dev.leakproof.kv.internal.redis;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.leakproof.core.Tracked;
import dev.leakproof.kv.KvConnectionException;
import dev.leakproof.kv.internal.InjectedLeaks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One hiredis connection ({@code redisContext}) to one node, owned by one thread at a time (a context is not
 * thread-safe; the {@link NodePool} lends it out). The context is tracked as {@link RedisKinds#CONTEXT} from
 * connect to {@link #close()}; every reply as {@link RedisKinds#REPLY} from the moment hiredis hands it over to
 * {@code freeReplyObject}, which runs before the decoded reply is returned.
 *
 * <p>Replies are decoded to Java values at once: a bulk string to {@code byte[]}, a status to
 * {@link String}, an integer to {@link Long}, nil to {@code null}, an array to a {@link List}, an error to
 * {@link ErrorReply}. A command timeout or a broken socket throws {@link IoFailure}; the connection is then
 * unusable and must be closed.
 */
@SuppressWarnings("restricted") // sizing what hiredis returns
final class Connection implements AutoCloseable {
    /** An error reply of the server (MOVED, ASK, WRONGTYPE, NOSCRIPT, a script's own error...). */
    record ErrorReply(String message) {
        boolean startsWith(String prefix) {
            return message.startsWith(prefix);
        }
    }

    /** The connection failed under a command; {@code timeout} when the command timeout passed. */
    static final class IoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean timeout;

        IoFailure(String message, boolean timeout) {
            super(message);
            this.timeout = timeout;
        }
    }

    private static final int REDIS_ERR_IO = 1;

    /** The size of the buffer a polled reply is received into. */
    private static final int SPIN_BUFFER_BYTES = 16 * 1024;
    /**
     * A thread's buffer for polled replies, in an automatic arena: freed by the GC with the thread (a shared arena per
     * connection cost a handshake with every thread at each close).
     */
    private static final ThreadLocal<MemorySegment> SPIN_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SPIN_BUFFER_BYTES));

    private final String node;
    private final MemorySegment context;
    private final Tracked token;
    /** How {@link #command} waits for its reply, shared by the router's connections. */
    private final ReplyPolling polling;
    private boolean closed;
    /** Set when an I/O failure left the protocol stream in an unknown state. */
    private boolean broken;

    private Connection(String node, MemorySegment context, Tracked token, ReplyPolling polling) {
        this.node = node;
        this.context = context;
        this.token = token;
        this.polling = polling;
    }

    /**
     * Connects, with both timeouts set.
     *
     * @param polling how a command waits for its reply: polling the socket first, or not
     * @throws KvConnectionException if the node cannot be reached (the message is hiredis's, with the node)
     */
    static Connection open(String host, int port, long connectTimeoutMillis, long commandTimeoutMillis,
                           ReplyPolling polling) {
        Hiredis.check();
        String node = host + ":" + port;
        MemorySegment c;
        try (Arena a = Arena.ofConfined()) {
            c = (MemorySegment) Hiredis.CONNECT_WITH_TIMEOUT.invokeExact(a.allocateFrom(host), port,
                    timeval(a, connectTimeoutMillis));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (c.address() == 0) {
            throw new KvConnectionException("cannot connect to Redis node " + node + ": hiredis could not allocate a context");
        }
        c = c.reinterpret(Hiredis.CONTEXT_READ_SIZE);
        Tracked token = RedisKinds.CONTEXT.track(0, null);
        Connection conn = new Connection(node, c, token, polling);
        if (c.get(JAVA_INT, Hiredis.CONTEXT_ERR) != 0) {
            String err = conn.errstr();
            conn.close();
            throw new KvConnectionException("cannot connect to Redis node " + node + ": " + err
                    + " (connect timeout " + connectTimeoutMillis + " ms)");
        }
        int rc;
        try (Arena a = Arena.ofConfined()) {
            rc = (int) Hiredis.SET_TIMEOUT.invokeExact(c, timeval(a, commandTimeoutMillis));
        } catch (Throwable t) {
            conn.close();
            throw rethrow(t);
        }
        if (rc != 0) {
            String err = conn.errstr();
            conn.close();
            throw new KvConnectionException("cannot set the command timeout on the connection to " + node + ": " + err);
        }
        return conn;
    }

    private static MemorySegment timeval(Arena a, long millis) {
        MemorySegment tv = a.allocate(Hiredis.TIMEVAL);
        tv.set(JAVA_LONG, 0, millis / 1000);
        tv.set(JAVA_LONG, 8, (millis % 1000) * 1000);
        return tv;
    }

    /** @return the node, {@code host:port} */
    String node() {
        return node;
    }

    /** @return whether an I/O failure left this connection unusable */
    boolean broken() {
        return broken;
    }

    /**
     * Sends one command and reads its reply.
     *
     * @return the decoded reply (an {@link ErrorReply} for an error reply: that is not an exception here)
     * @throws IoFailure if the command timed out or the connection broke
     */
    Object command(byte[]... args) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment argv = a.allocate(ADDRESS, args.length);
            MemorySegment lens = a.allocate(JAVA_LONG, args.length);
            fill(a, args, argv, lens);
            MemorySegment reply;
            try {
                if (polling.spinNanos == 0) {
                    reply = (MemorySegment) Hiredis.COMMAND_ARGV.invokeExact(context, args.length, argv, lens);
                } else {
                    reply = sendThenPoll(a, args.length, argv, lens);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (reply.address() == 0) {
                throw failure();
            }
            return take(reply);
        }
    }

    /**
     * {@code redisCommandArgv} with a bounded poll for the reply before the blocking read: the command is
     * formatted and written as hiredis does, then the socket is read without blocking ({@code recv} with
     * {@code MSG_DONTWAIT}, the bytes fed to the context's reader) until a whole reply is there or the spin of
     * {@link ReplyPolling} has passed; only then does the thread block in hiredis's own read, under the command
     * timeout. Only a thread that is the router's one waiter polls (see {@link ReplyPolling}).
     *
     * <p>Design note. On this 2-vCPU VM a thread that blocks in {@code read} on loopback pays the wake-up of a
     * halted vCPU on top of the round trip: a blocking GET ran at 17.9k/s from C, 0.93× redis-benchmark's event loop
     * (19.3k/s); the same GET polled for 1,000 turns ran at 42k/s (docs/BENCHMARKS.md). The poll spends CPU only
     * while a reply is due; a slow command, or a timeout, ends in the blocking read as before.
     *
     * @return the reply, or NULL when hiredis failed (its error is in the context)
     */
    private MemorySegment sendThenPoll(Arena a, int argc, MemorySegment argv, MemorySegment lens) throws Throwable {
        if ((int) Hiredis.APPEND_COMMAND_ARGV.invokeExact(context, argc, argv, lens) != 0) {
            return MemorySegment.NULL;
        }
        MemorySegment done = a.allocate(JAVA_INT);
        do {
            if ((int) Hiredis.BUFFER_WRITE.invokeExact(context, done) != 0) {
                return MemorySegment.NULL;
            }
        } while (done.get(JAVA_INT, 0) == 0);
        MemorySegment slot = a.allocate(ADDRESS);
        try {
            if (polling.startAlone()) { // alone: a core is free to poll on
                MemorySegment reply = poll(slot);
                if (reply.address() != 0) {
                    polling.polledOne();
                    return reply;
                }
                polling.outlastedOne();
            }
            return blockForReply(slot);
        } finally {
            polling.done();
        }
    }

    /** @return a reply polled for without blocking within the spin, or NULL (none yet, or an error) */
    private MemorySegment poll(MemorySegment slot) throws Throwable {
        MemorySegment spinBuffer = SPIN_BUFFER.get();
        int fd = context.get(JAVA_INT, Hiredis.CONTEXT_FD);
        MemorySegment reader = context.get(ADDRESS, Hiredis.CONTEXT_READER);
        long start = System.nanoTime();
        while (true) {
            long n = (long) Hiredis.RECV.invokeExact(fd, spinBuffer, (long) SPIN_BUFFER_BYTES, Hiredis.MSG_DONTWAIT);
            if (n > 0) {
                if ((int) Hiredis.READER_FEED.invokeExact(reader, spinBuffer, n) != 0
                        || (int) Hiredis.GET_REPLY_FROM_READER.invokeExact(context, slot) != 0) {
                    return MemorySegment.NULL; // the blocking read finds the reader's error and reports it
                }
                MemorySegment reply = slot.get(ADDRESS, 0);
                if (reply.address() != 0) {
                    return reply;
                }
            } else if (n == 0 || System.nanoTime() - start >= polling.spinNanos) {
                return MemorySegment.NULL; // end of stream, an error or the spin's end
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** @return the reply, read by hiredis blocking under the command timeout, or NULL when it failed */
    private MemorySegment blockForReply(MemorySegment slot) throws Throwable {
        if ((int) Hiredis.GET_REPLY.invokeExact(context, slot) != 0) {
            return MemorySegment.NULL;
        }
        return slot.get(ADDRESS, 0);
    }

    /**
     * Queues a command in the output buffer without sending it (pipelining); {@link #nextReply()} flushes and
     * reads the replies in order.
     */
    void append(byte[]... args) {
        int rc;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment argv = a.allocate(ADDRESS, args.length);
            MemorySegment lens = a.allocate(JAVA_LONG, args.length);
            fill(a, args, argv, lens);
            rc = (int) Hiredis.APPEND_COMMAND_ARGV.invokeExact(context, args.length, argv, lens);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw failure();
        }
    }

    /** @return the next reply of the pipeline @throws IoFailure if it timed out or the connection broke */
    Object nextReply() {
        MemorySegment reply;
        int rc;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = a.allocate(ADDRESS);
            rc = (int) Hiredis.GET_REPLY.invokeExact(context, slot);
            reply = slot.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0 || reply.address() == 0) {
            throw failure();
        }
        return take(reply);
    }

    private static void fill(Arena a, byte[][] args, MemorySegment argv, MemorySegment lens) {
        for (int i = 0; i < args.length; i++) {
            byte[] arg = args[i];
            MemorySegment s = arg.length == 0 ? a.allocate(1) : a.allocateFrom(JAVA_BYTE, arg);
            argv.setAtIndex(ADDRESS, i, s);
            lens.setAtIndex(JAVA_LONG, i, arg.length);
        }
    }

    private IoFailure failure() {
        broken = true;
        int err = context.get(JAVA_INT, Hiredis.CONTEXT_ERR);
        String msg = errstr();
        // hiredis 0.14 reports a read timeout as an I/O error with errno EAGAIN's text
        boolean timeout = err == REDIS_ERR_IO && (msg.contains("temporarily unavailable") || msg.contains("timed out"));
        return new IoFailure("Redis node " + node + ": " + (msg.isEmpty() ? "hiredis error " + err : msg), timeout);
    }

    private String errstr() {
        MemorySegment s = context.asSlice(Hiredis.CONTEXT_ERRSTR, Hiredis.ERRSTR_SIZE);
        int n = 0;
        while (n < Hiredis.ERRSTR_SIZE && s.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(s.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Decodes a reply tree, then frees it with {@code freeReplyObject}. */
    private static Object take(MemorySegment reply) {
        Tracked token = RedisKinds.REPLY.track(Hiredis.REPLY_SIZE, null);
        try {
            return decode(reply.reinterpret(Hiredis.REPLY_SIZE));
        } finally {
            if (!InjectedLeaks.skip(InjectedLeaks.Leak.NATIVE_RESULT)) {
                try {
                    Hiredis.FREE_REPLY_OBJECT.invokeExact(reply);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
                token.close();
            }
        }
    }

    private static Object decode(MemorySegment r) {
        int type = r.get(JAVA_INT, Hiredis.OFF_TYPE);
        return switch (type) {
            case Hiredis.REPLY_STRING -> bytes(r);
            case Hiredis.REPLY_STATUS -> new String(bytes(r), StandardCharsets.UTF_8);
            case Hiredis.REPLY_ERROR -> new ErrorReply(new String(bytes(r), StandardCharsets.UTF_8));
            case Hiredis.REPLY_INTEGER -> r.get(JAVA_LONG, Hiredis.OFF_INTEGER);
            case Hiredis.REPLY_NIL -> null;
            case Hiredis.REPLY_ARRAY -> {
                long n = r.get(JAVA_LONG, Hiredis.OFF_ELEMENTS);
                List<Object> out = new ArrayList<>((int) n);
                if (n > 0) {
                    MemorySegment elements = r.get(ADDRESS, Hiredis.OFF_ELEMENT).reinterpret(n * ADDRESS.byteSize());
                    for (long i = 0; i < n; i++) {
                        out.add(decode(elements.getAtIndex(ADDRESS, i).reinterpret(Hiredis.REPLY_SIZE)));
                    }
                }
                yield out;
            }
            default -> throw new IllegalStateException("hiredis returned a reply of unknown type " + type
                    + ": is the loaded library really hiredis 0.14?");
        };
    }

    private static byte[] bytes(MemorySegment r) {
        long len = r.get(JAVA_LONG, Hiredis.OFF_LEN);
        if (len == 0) {
            return new byte[0];
        }
        return r.get(ADDRESS, Hiredis.OFF_STR).reinterpret(len).toArray(JAVA_BYTE);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("downcall into hiredis failed", t);
    }

    /** Frees the context (closing its socket). A second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Hiredis.FREE.invokeExact(context);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        token.close();
    }

    @Override
    public String toString() {
        return "Connection[" + node + (closed ? ", closed]" : "]");
    }
}
