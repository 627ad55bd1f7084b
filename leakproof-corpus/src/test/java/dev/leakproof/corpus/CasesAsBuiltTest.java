package dev.leakproof.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The count cases leak exactly what their truth says, and their clean twins give everything back, measured without
 * leakproof: live threads whose names match the truth's culprit pattern, and open descriptors. This is the part of
 * the corpus' truths that can be checked exactly and fast; {@link CaseGrowth} measures the byte cases.
 */
class CasesAsBuiltTest {

    @ParameterizedTest(name = "{0}: {2} threads per {1} iterations")
    @CsvSource({
        "ThreadEvery500, 2000, 4",
        "TimerEvery400, 2000, 5",
        "ExecutorEvery200, 2000, 20",
        "NettyEventLoopGroupEvery50, 500, 10",
        "HttpClientPerUpstream, 1200, 2",
        "NettyWheelTimerPerSession, 1200, 3",
        "H2MvStorePerExportKept, 1600, 6",
    })
    void threadLeaksStartWhatTheTruthSaysAndCloseEndsThem(String name, int iterations, int threads) throws Exception {
        Corpus.Case kase = Corpus.named(name);
        Pattern culprit = Pattern.compile(kase.expect().culprit(), Pattern.CASE_INSENSITIVE);
        Runnable r = (Runnable) kase.type().getConstructor().newInstance();
        java.util.Set<Thread> before = matching(culprit);
        for (int i = 0; i < iterations; i++) {
            r.run();
        }
        assertEquals(before.size() + threads, liveThreadsMatching(culprit), name + ": live threads matching /" + culprit
                + "/");
        assertEquals(kase.expect().perIteration(), (double) threads / iterations, 1e-12, name + ": truth's rate");
        ((AutoCloseable) r).close();
        awaitThreads(culprit, before);
    }

    @ParameterizedTest(name = "{0}: {2} descriptors per {1} iterations")
    @CsvSource({
        "FileChannelEvery100, 2000, 20",
        "PipeEvery250, 2000, 16",
        "SocketEvery300, 3000, 20",
        "NettyEventLoopGroupEvery50, 500, 20",
        "FileChannelsClosed, 2000, 0",
        "SocketsClosed, 2000, 0",
        "NettyEventLoopGroupShutdown, 500, 0",
        "HttpClientPerUpstream, 1200, 4",
        "ChildProcessNeverWaited, 2000, 6",
        "DeletedSegmentsStillOpen, 1000, 2",
        "UdpSenderPerTenantKept, 2000, 2",
        "SegmentReadersCappedAtSix, 2400, 0",
        "SqliteTenantConnectionsKept, 2000, 4",
        "SqliteTenantConnectionsEvicted, 13000, 0",
        "AsyncFileChannelPerSegmentKept, 1800, 3",
        "H2MvStorePerExportKept, 1600, 2",
    })
    void descriptorCasesHoldWhatTheTruthSays(String name, int iterations, int descriptors) throws Exception {
        Corpus.Case kase = Corpus.named(name);
        Runnable r = (Runnable) kase.type().getConstructor().newInstance();
        // the first calls may open what any JVM opens once (a jar, a random source); measure after them
        for (int i = 0; i < iterations; i++) {
            r.run();
        }
        long before = openDescriptors();
        for (int i = 0; i < iterations; i++) {
            r.run();
        }
        assertEquals(before + descriptors, openDescriptors(), name + ": open descriptors after " + iterations
                + " more iterations");
        if (r instanceof AutoCloseable c) {
            c.close();
        }
    }

    @ParameterizedTest(name = "{0} ends its threads")
    @CsvSource({"ExecutorShutdownEvery200, 2000, pool-", "NettyEventLoopGroupShutdown, 500, nioEventLoopGroup"})
    void cleanTwinsLeaveNoThreads(String name, int iterations, String pattern) throws Exception {
        Corpus.Case kase = Corpus.named(name);
        Pattern p = Pattern.compile(pattern);
        Runnable r = (Runnable) kase.type().getConstructor().newInstance();
        java.util.Set<Thread> before = matching(p);
        for (int i = 0; i < iterations; i++) {
            r.run();
        }
        awaitThreads(p, before);
    }

    private static long liveThreadsMatching(Pattern p) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && p.matcher(t.getName()).find())
                .count();
    }

    /**
     * Threads end a moment after their pool says it terminated: each new one still alive is joined (bounded), then
     * the exact count is checked.
     */
    private static void awaitThreads(Pattern p, java.util.Set<Thread> before) throws InterruptedException {
        for (Thread t : matching(p)) {
            if (!before.contains(t)) {
                t.join(java.time.Duration.ofSeconds(2));
            }
        }
        assertEquals(before.size(), liveThreadsMatching(p), "live threads matching /" + p + "/");
    }

    private static java.util.Set<Thread> matching(Pattern p) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && p.matcher(t.getName()).find())
                .collect(java.util.stream.Collectors.toSet());
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        }
    }
}
