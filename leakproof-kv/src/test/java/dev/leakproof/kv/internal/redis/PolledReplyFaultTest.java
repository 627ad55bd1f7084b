package dev.leakproof.kv.internal.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The polled reply against a scripted server: a reply in pieces, a stream that ends mid-reply, a byte that
 * is not RESP, a server that never answers. Every case with a 1 s spin (the poll sees every byte the server sends)
 * so the poll's own paths run, not the blocking read's; and the waiting counter is balanced after each.
 */
class PolledReplyFaultTest {
    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(UTF_8);

    /** What the scripted server does once it has read the PING. */
    @FunctionalInterface
    interface Script {
        void run(OutputStream out, CountDownLatch release) throws IOException, InterruptedException;
    }

    private Object ping(ReplyPolling polling, long commandTimeoutMillis, Script script) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<?> served = pool.submit(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    assertArrayEquals(PING, in.readNBytes(PING.length));
                    script.run(s.getOutputStream(), release);
                }
                return null;
            });
            try (Connection c = Connection.open("127.0.0.1", server.getLocalPort(), 1_000, commandTimeoutMillis,
                    polling)) {
                try {
                    return c.command("PING".getBytes(UTF_8));
                } catch (Connection.IoFailure e) {
                    assertTrue(c.broken(), "an I/O failure marks the connection broken");
                    return e;
                } finally {
                    release.countDown();
                    served.get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void assertBalanced(ReplyPolling polling) {
        assertTrue(polling.startAlone(), "the waiting count came back to 0");
        polling.done();
    }

    @Test
    void aReplyInPiecesIsAssembledByThePoll() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000_000L);
        Object reply = ping(polling, 2_000, (out, release) -> {
            out.write("$5\r\nhel".getBytes(UTF_8));
            out.flush();
            out.write("lo\r\n".getBytes(UTF_8));
            out.flush();
        });
        assertArrayEquals("hello".getBytes(UTF_8), (byte[]) reply);
        assertEquals(1, polling.polled());
        assertBalanced(polling);
    }

    @Test
    void aStreamThatEndsMidReplyIsAnIoFailure() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000_000L);
        Object reply = ping(polling, 2_000, (out, release) -> {
            out.write("$5\r\nhel".getBytes(UTF_8));
            out.flush();
        });
        Connection.IoFailure e = (Connection.IoFailure) reply;
        assertFalse(e.timeout, e.getMessage());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(0, polling.polled());
        assertBalanced(polling);
    }

    @Test
    void aByteThatIsNotRespIsAProtocolError() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000_000L);
        Object reply = ping(polling, 2_000, (out, release) -> {
            out.write("?oops\r\n".getBytes(UTF_8));
            out.flush();
            release.await(); // keep the socket open: the error must come from the reader, not from EOF
        });
        Connection.IoFailure e = (Connection.IoFailure) reply;
        assertTrue(e.getMessage().contains("Protocol error"), e.getMessage());
        assertBalanced(polling);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAfterTheSpin() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000L); // 1 ms of polling, then the blocking read
        Object reply = ping(polling, 200, (out, release) -> release.await());
        Connection.IoFailure e = (Connection.IoFailure) reply;
        assertTrue(e.timeout, e.getMessage());
        assertBalanced(polling);
    }

    @Test
    void anErrorReplyIsAReplyNotAFailure() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000_000L);
        Object reply = ping(polling, 2_000, (out, release) -> {
            out.write("-ERR nope\r\n".getBytes(UTF_8));
            out.flush();
        });
        assertEquals(new Connection.ErrorReply("ERR nope"), reply);
        assertBalanced(polling);
    }

    @Test
    void aCallerThatIsNotAloneBlocksAtOnce() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000_000L);
        assertTrue(polling.startAlone()); // another caller of the router is waiting
        try {
            Object reply = ping(polling, 2_000, (out, release) -> {
                out.write("+PONG\r\n".getBytes(UTF_8));
                out.flush();
            });
            assertEquals("PONG", reply);
            assertEquals(0, polling.polled(), "the second waiter did not poll");
        } finally {
            polling.done();
        }
        assertBalanced(polling);
    }

    /**
     * The poll ends with half a reply in the reader, and hiredis's blocking read must finish it: the server sends the
     * rest only once the caller's thread sleeps in the kernel's socket read (its /proc wait channel), after its 1 ms
     * spin.
     */
    @Test
    void halfAReplyPolledIsFinishedByTheBlockingRead() throws Exception {
        ReplyPolling polling = new ReplyPolling(1_000_000L);
        String tid = selfTid();
        Object reply = ping(polling, 10_000, (out, release) -> {
            out.write("$5\r\nhel".getBytes(UTF_8));
            out.flush();
            while (!sleepsInSocketRead(tid)) {
                Thread.onSpinWait();
            }
            out.write("lo\r\n".getBytes(UTF_8));
            out.flush();
        });
        assertArrayEquals("hello".getBytes(UTF_8), (byte[]) reply);
        assertEquals(0, polling.polled(), "the reply was finished by the blocking read, not the poll");
        assertBalanced(polling);
    }

    private static String selfTid() throws IOException {
        return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).getFileName().toString();
    }

    private static boolean sleepsInSocketRead(String tid) throws IOException {
        java.nio.file.Path task = java.nio.file.Path.of("/proc/self/task", tid);
        String stat = java.nio.file.Files.readString(task.resolve("stat"));
        String wchan = java.nio.file.Files.readString(task.resolve("wchan"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("S")
                && (wchan.contains("wait_woken") || wchan.contains("sk_wait_data"));
    }
}
