package dev.leakproof.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --package NAME}: one package of cases listed and scored alone, the default listing unchanged. */
class CorpusPackagesTest {

    @Test
    void aPackageListsOnlyItsOwnCases() {
        List<Corpus.Case> held = Corpus.inPackage("holdout2");
        assertEquals(18, held.size(), "the second held-out round has 18 cases");
        assertTrue(held.stream().allMatch(c -> c.className().startsWith("dev.leakproof.corpus.holdout2.")));
        assertEquals(10, held.stream().filter(c -> c.expect().verdict() == Truth.LEAK).count(), "10 leaks");
        assertTrue(Corpus.inPackage("cases").stream().allMatch(c -> c.className().startsWith("dev.leakproof.corpus.cases.")));
    }

    @Test
    void theThirdHeldOutRoundIsItsOwnPackage() {
        List<Corpus.Case> held = Corpus.inPackage("holdout3");
        assertEquals(18, held.size(), "the third held-out round has 18 cases");
        assertTrue(held.stream().allMatch(c -> c.className().startsWith("dev.leakproof.corpus.holdout3.")));
        assertEquals(10, held.stream().filter(c -> c.expect().verdict() == Truth.LEAK).count(), "10 leaks");
        assertEquals("dev.leakproof.corpus.holdout3.PluginJarLoadersKept", Corpus.named("PluginJarLoadersKept").className());
    }

    @Test
    void theFourthHeldOutRoundIsItsOwnPackage() {
        List<Corpus.Case> held = Corpus.inPackage("holdout4");
        assertEquals(18, held.size(), "the fourth held-out round has 18 cases");
        assertTrue(held.stream().allMatch(c -> c.className().startsWith("dev.leakproof.corpus.holdout4.")));
        assertEquals(10, held.stream().filter(c -> c.expect().verdict() == Truth.LEAK).count(), "10 leaks");
        assertEquals("dev.leakproof.corpus.holdout4.UdpSenderPerTenantKept", Corpus.named("UdpSenderPerTenantKept").className());
    }

    @Test
    void theFifthHeldOutRoundIsItsOwnPackage() {
        List<Corpus.Case> held = Corpus.inPackage("holdout5");
        assertEquals(17, held.size(), "the fifth held-out round has 17 cases");
        assertTrue(held.stream().allMatch(c -> c.className().startsWith("dev.leakproof.corpus.holdout5.")));
        assertEquals(9, held.stream().filter(c -> c.expect().verdict() == Truth.LEAK).count(), "9 leaks");
        assertTrue(held.stream().noneMatch(c -> c.expect().library().equals("JDK")), "every case is on a library");
        assertEquals("dev.leakproof.corpus.holdout5.RocksDbSnapshotsNeverReleased",
                Corpus.named("RocksDbSnapshotsNeverReleased").className());
    }

    @Test
    void theSixthHeldOutRoundIsItsOwnPackage() {
        List<Corpus.Case> held = Corpus.inPackage("holdout6");
        assertEquals(16, held.size(), "the sixth held-out round has 16 cases");
        assertTrue(held.stream().allMatch(c -> c.className().startsWith("dev.leakproof.corpus.holdout6.")));
        assertEquals(8, held.stream().filter(c -> c.expect().verdict() == Truth.LEAK).count(), "8 leaks");
        assertEquals("dev.leakproof.corpus.holdout6.H2MvStorePerExportKept",
                Corpus.named("H2MvStorePerExportKept").className());
    }

    @Test
    void theDefaultListingIsTheCorpusAndTheFirstHeldOutSetOnly() {
        List<Corpus.Case> all = Corpus.all();
        assertEquals(Corpus.inPackage("cases").size() + Corpus.inPackage("holdout").size(), all.size());
        assertFalse(all.stream().anyMatch(c -> c.className().contains(".holdout2.")), "holdout2 stays out of the default");
        assertFalse(all.stream().anyMatch(c -> c.className().contains(".holdout3.")), "holdout3 stays out of the default");
        assertFalse(all.stream().anyMatch(c -> c.className().contains(".holdout4.")), "holdout4 stays out of the default");
        assertFalse(all.stream().anyMatch(c -> c.className().contains(".holdout5.")), "holdout5 stays out of the default");
        assertFalse(all.stream().anyMatch(c -> c.className().contains(".holdout6.")), "holdout6 stays out of the default");
    }

    @Test
    void aCaseOfAnyKnownPackageIsFoundByItsSimpleName() {
        assertEquals("dev.leakproof.corpus.holdout2.SlabAllocatorNeverReset",
                Corpus.named("SlabAllocatorNeverReset").className());
    }

    @Test
    void aBadOrEmptyPackageIsAnErrorNamingThePackagesThatHaveCases() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Corpus.inPackage("nothere"));
        assertTrue(empty.getMessage().contains("dev.leakproof.corpus.nothere"), empty.getMessage());
        assertTrue(empty.getMessage().contains("holdout2"), empty.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Corpus.inPackage("../cases"));
        assertTrue(bad.getMessage().contains("'../cases'"), bad.getMessage());
    }

    @Test
    void listTakesThePackageAndARegex() {
        Run r = run("list", "--package", "holdout2", "Native");
        assertEquals(0, r.status, r.err);
        List<String> names = r.out.lines().filter(l -> !l.startsWith("#")).map(l -> l.split("\t")[0]).toList();
        assertEquals(List.of("NativeStagingSawtooth", "NativeTableAt80"), names);
    }

    @Test
    void scoreTakesThePackageAndRefusesToRecordIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("HttpClientPerUpstream.status"), "exit=1 seconds=12.0");
        Files.writeString(dir.resolve("HttpClientPerUpstream.json"), """
                {"verdict":"LEAK","probes":[{"name":"threads","verdict":"LEAK","finding":"GROWS","slope":0.00167}],
                 "culprits":[{"probe":"threads","source":"threads","kind":"HttpClient-#-SelectorManager",
                  "userFrame":"dev.leakproof.corpus.holdout2.HttpClientPerUpstream.lambda$run$0(HttpClientPerUpstream.java:38)"}]}
                """);
        Run scored = run("score", dir.toString(), "--package", "holdout2");
        assertEquals(0, scored.status, scored.out + scored.err);
        assertTrue(scored.out.contains("1 passed, 0 failed"), scored.out);
        Run recorded = run("score", dir.toString(), "--package", "holdout2", "--record", dir.resolve("x.md").toString());
        assertEquals(2, recorded.status);
        assertTrue(recorded.err.contains("--record"), recorded.err);
        assertFalse(Files.exists(dir.resolve("x.md")), "nothing recorded");
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CorpusMain.run(Arrays.copyOf(args, args.length), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
