package dev.leakproof.corpus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The scores as a text table (for the terminal) and as Markdown (for {@code docs/corpus.md}). */
final class Report {
    private Report() {
    }

    static void text(List<Scoring.Score> scores, PrintStream out) {
        out.printf(Locale.ROOT, "%-36s %-8s %-12s %-13s %-15s %-6s %s%n", "case", "truth", "probe", "verdict",
                "finding", "time", "misses");
        for (Scoring.Score s : scores) {
            Expect e = s.kase().expect();
            out.printf(Locale.ROOT, "%-36s %-8s %-12s %-13s %-15s %-6s %s%n", s.kase().name(), e.verdict(),
                    e.probe().isEmpty() ? "-" : e.probe(),
                    s.verdict() + (s.probeVerdict().isEmpty() || e.verdict() == Truth.NO_LEAK ? "" : "/" + abbrev(s.probeVerdict())),
                    s.finding().isEmpty() ? "-" : s.finding(), seconds(s.seconds()), s.passed() ? "ok" : s.misses());
        }
        out.println();
        out.println(tallies(scores));
        long passed = scores.stream().filter(Scoring.Score::passed).count();
        out.printf(Locale.ROOT, "%d passed, %d failed%n", passed, scores.size() - passed);
    }

    static String tallies(List<Scoring.Score> scores) {
        long verdicts = scores.stream().filter(Scoring.Score::verdictOk).count();
        long leaks = scores.stream().filter(s -> s.kase().expect().verdict() == Truth.LEAK).count();
        long leaksFound = scores.stream().filter(s -> s.kase().expect().verdict() == Truth.LEAK && s.verdictOk()).count();
        long clean = scores.size() - leaks;
        long cleanOk = verdicts - leaksFound;
        return String.format(Locale.ROOT, "verdicts %d/%d (leaks found %d/%d, clean cleared %d/%d); probes %s; "
                        + "culprits %s; user frames %s", verdicts, scores.size(), leaksFound, leaks, cleanOk, clean,
                ratio(scores, Scoring.Score::probeOk), ratio(scores, Scoring.Score::culpritOk),
                ratio(scores, Scoring.Score::userFrameOk));
    }

    private static String ratio(List<Scoring.Score> scores, java.util.function.Function<Scoring.Score, Boolean> check) {
        long asked = scores.stream().filter(s -> check.apply(s) != null).count();
        long ok = scores.stream().filter(s -> Boolean.TRUE.equals(check.apply(s))).count();
        return ok + "/" + asked;
    }

    static void record(Path doc, List<Scoring.Score> scores, String command, String date) throws IOException {
        String text = Files.isRegularFile(doc) ? Files.readString(doc) : "";
        text = replaceBlock(text, CorpusMain.CATALOGUE_BEGIN, CorpusMain.CATALOGUE_END, catalogue());
        text = replaceBlock(text, CorpusMain.SCORES_BEGIN, CorpusMain.SCORES_END, scoresMarkdown(scores, command, date));
        Files.writeString(doc, text);
    }

    static String catalogue() {
        StringBuilder b = new StringBuilder();
        b.append("| case | library | truth | what it does | culprit / user frame expected |\n");
        b.append("|---|---|---|---|---|\n");
        for (Corpus.Case c : Corpus.all()) {
            Expect e = c.expect();
            b.append("| `").append(c.name()).append("` | ").append(e.library()).append(" | ").append(truth(e))
                    .append(" | ").append(cell(e.summary())).append(" | ")
                    .append(e.culprit().isEmpty() ? "—" : "`/" + cell(e.culprit()) + "/`")
                    .append(e.userFrame().isEmpty() ? "" : " at `/" + cell(e.userFrame()) + "/`")
                    .append(e.flags().length == 0 ? "" : " (" + String.join(" ", e.flags()) + ")").append(" |\n");
        }
        return b.toString();
    }

    private static String scoresMarkdown(List<Scoring.Score> scores, String command, String date) {
        long passed = scores.stream().filter(Scoring.Score::passed).count();
        StringBuilder b = new StringBuilder();
        b.append("Run of ").append(date.isEmpty() ? "(date not given)" : date).append(": `").append(cell(command))
                .append("`\n\n");
        b.append("**").append(passed).append(" passed, ").append(scores.size() - passed).append(" failed** — ")
                .append(tallies(scores)).append(".\n\n");
        b.append("| case | library | truth | verdict | finding | top culprit | time | result |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Scoring.Score s : scores) {
            Expect e = s.kase().expect();
            b.append("| `").append(s.kase().name()).append("` | ").append(e.library()).append(" | ").append(truth(e))
                    .append(" | ").append(s.verdict())
                    .append(s.probeVerdict().isEmpty() || e.probe().isEmpty() ? "" : " (" + e.probe() + ": " + s.probeVerdict() + ")")
                    .append(" | ").append(s.finding().isEmpty() ? "—" : s.finding())
                    .append(Double.isNaN(s.slope()) ? "" : String.format(Locale.ROOT, ", %.3g/it", s.slope()))
                    .append(" | ").append(s.culprit().isEmpty() ? "—" : "`" + cell(s.culprit()) + "`")
                    .append(s.userFrame().isEmpty() ? "" : " at `" + cell(s.userFrame()) + "`")
                    .append(" | ").append(seconds(s.seconds())).append(" | ")
                    .append(s.passed() ? "pass" : "**miss**: " + cell(s.misses())).append(" |\n");
        }
        return b.toString();
    }

    private static String truth(Expect e) {
        if (e.verdict() == Truth.NO_LEAK) {
            return "NO_LEAK" + (e.probe().isEmpty() ? "" : " (" + e.probe() + " moves)");
        }
        return "LEAK " + e.probe() + (e.perIteration() == 0 ? "" : " " + CorpusMain.rate(e) + "/it");
    }

    private static String replaceBlock(String text, String begin, String end, String body) {
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        String block = begin + "\n" + body + end;
        if (b < 0 || e < b) {
            return text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "\n" + block + "\n";
        }
        return text.substring(0, b) + block + text.substring(e + end.length());
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "—" : String.format(Locale.ROOT, "%.0f s", s);
    }

    private static String abbrev(String v) {
        return v.equals("INCONCLUSIVE") ? "INCONCL" : v;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
