package dev.leakproof.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringTest {
    private static final Corpus.Case THREADS = Corpus.named("ThreadEvery500");
    private static final Corpus.Case STEP = Corpus.named("LazyInitMiddle");

    private static Map<?, ?> report(String json) {
        return (Map<?, ?>) Json.parse(json);
    }

    @Test
    void leakWithItsProbeCulpritAndUserFramePasses() {
        Scoring.Score s = Scoring.score(THREADS, report("""
                {"verdict":"LEAK","probes":[{"name":"threads","verdict":"LEAK","finding":"GROWS","slope":{"perIteration":0.002}}],
                 "culprits":[{"probe":"heap","kind":"corpus-sleeper-#"},
                             {"probe":"threads","source":"threads","kind":"corpus-sleeper-#",
                              "userFrame":"dev.leakproof.corpus.cases.ThreadEvery500.run(ThreadEvery500.java:33)"}]}
                """), 1, 10);
        assertTrue(s.passed(), s.misses());
        assertEquals("GROWS", s.finding());
        assertEquals(0.002, s.slope());
        assertEquals("threads:corpus-sleeper-#", s.culprit());
    }

    @Test
    void culpritOfAnotherProbeDoesNotCount() {
        Scoring.Score s = Scoring.score(THREADS, report("""
                {"verdict":"LEAK","probes":[{"name":"threads","verdict":"LEAK"}],
                 "culprits":[{"probe":"heap","kind":"corpus-sleeper-#","userFrame":"ThreadEvery500.run"}]}
                """), 1, 10);
        assertFalse(s.culpritOk());
        assertFalse(s.passed());
        assertTrue(s.misses().contains("culprit none"), s.misses());
    }

    @Test
    void culpritMayBeNamedByItsPathOrStack() {
        Scoring.Score s = Scoring.score(THREADS, report("""
                {"verdict":"LEAK","probes":[{"name":"threads","verdict":"LEAK"}],
                 "culprits":[{"probe":"threads","kind":"java.lang.Thread","path":["ThreadEvery500.started","corpus-sleeper-3"],
                              "userFrame":"ThreadEvery500.run"}]}
                """), 1, 10);
        assertTrue(s.passed(), s.misses());
    }

    @Test
    void inconclusiveIsAMissForEitherTruth() {
        assertFalse(Scoring.score(STEP, report("{\"verdict\":\"INCONCLUSIVE\"}"), 3, 1).passed());
        assertFalse(Scoring.score(THREADS, report("{\"verdict\":\"INCONCLUSIVE\"}"), 3, 1).passed());
    }

    @Test
    void cleanCaseNeedsOnlyItsVerdictAndToleratesMissingFields() {
        Scoring.Score s = Scoring.score(STEP, report("{\"verdict\":\"NO_LEAK\"}"), 0, 1);
        assertTrue(s.passed(), s.misses());
        assertNull(s.probeOk());
        assertNull(s.culpritOk());
    }

    @Test
    void leakFoundOnAnotherProbeOnlyIsAMiss() {
        Scoring.Score s = Scoring.score(THREADS, report("""
                {"verdict":"LEAK","probes":[{"name":"threads","verdict":"INCONCLUSIVE"},{"name":"heap","verdict":"LEAK"}]}
                """), 1, 1);
        assertTrue(s.verdictOk());
        assertFalse(s.probeOk());
        assertFalse(s.passed());
    }

    @Test
    void noReportIsAMissNamingTheExitStatus() throws Exception {
        Scoring.Score s = Scoring.score(STEP, (java.nio.file.Path) null, 5, 1);
        assertFalse(s.passed());
        assertTrue(s.misses().contains("exit 5 the soaked JVM died"), s.misses());
    }

    @Test
    void truncatedJsonIsAnError() {
        try {
            Json.parse("{\"verdict\":\"LEAK\",");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
            return;
        }
        throw new AssertionError("truncated JSON parsed");
    }

    @Test
    void everyCaseHasASummaryAndLeaksNameTheirProbeAndRate() {
        assertTrue(Corpus.all().size() >= 30, "at least 30 cases");
        for (Corpus.Case c : Corpus.all()) {
            assertFalse(c.expect().summary().isBlank(), c.name());
            if (c.expect().verdict() == Truth.LEAK) {
                assertFalse(c.expect().probe().isEmpty(), c.name() + " names no probe");
                assertTrue(c.expect().perIteration() > 0, c.name() + " gives no rate");
            }
        }
    }
}
