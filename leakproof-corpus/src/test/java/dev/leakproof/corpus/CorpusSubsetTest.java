package dev.leakproof.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus' CI subset: five cases, one of each kind that matters most, soaked through the command's Java entry
 * point exactly as {@code scripts/corpus.sh} soaks every case, and scored with the same {@link Scoring} against
 * the truth written in each case. A failure names what the tool said and what the truth is.
 *
 * <ul>
 *   <li>{@code ThreadEvery500}: a count leak (threads), with its thread-name culprit and user frame;</li>
 *   <li>{@code LongStore8B}: a small byte leak (8 B/iteration of heap), with its class and user frame;</li>
 *   <li>{@code HeavyGarbage}: clean under megabytes of garbage per iteration;</li>
 *   <li>{@code LazyInitMiddle}: one 2 MiB step at the start of the judged half, then flat;</li>
 *   <li>{@code CaffeineUnboundedByRequestId}: a library leak (Caffeine) with its culprit and user frame.</li>
 * </ul>
 * Each run's time budget is {@value #MAX_DURATION} of self-extension, so the subset takes about four minutes on
 * two cores.
 */
class CorpusSubsetTest {
    static final String MAX_DURATION = "30s";

    static Stream<String> subset() {
        return Stream.of("ThreadEvery500", "LongStore8B", "HeavyGarbage", "LazyInitMiddle",
                "CaffeineUnboundedByRequestId");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subset")
    void soakSaysWhatTheCaseWasBuiltToDo(String name, @TempDir Path dir) throws IOException {
        Corpus.Case kase = Corpus.named(name);
        Path json = dir.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of("soak", "--class", kase.className(), "--cp", caseClassPath(),
                "--json", json.toString(), "--report", dir.resolve(name + ".html").toString(), "--quiet",
                "--max-duration", MAX_DURATION));
        args.addAll(Arrays.asList(kase.expect().flags()));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        int exit = Main.run(args.toArray(String[]::new), both, both, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Scoring.Score score = Scoring.score(kase, json, exit, seconds);
        assertTrue(score.passed(), () -> name + " (truth " + kase.expect().verdict() + " " + kase.expect().probe()
                + "): " + score.misses() + "\n--- command output ---\n" + buf.toString(StandardCharsets.UTF_8));
    }

    /** The corpus' classes and its runtime libraries (copied to target/lib before the tests), as scripts give them. */
    private static String caseClassPath() throws IOException {
        Path classes = Path.of(Corpus.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path lib = classes.getParent().resolve("lib");
        List<String> entries = new ArrayList<>(List.of(classes.toString()));
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        return String.join(File.pathSeparator, entries);
    }
}
