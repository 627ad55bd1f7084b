package dev.leakproof.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scores one soak report against a case's {@link Expect truth}. Fields the report lacks (the schema is growing)
 * count as not shown, never as an error; a missing report is a miss with the command's exit status as reason.
 *
 * <p>A case passes when every check its truth names passes: the overall verdict; for a leak, the verdict of the
 * expected probe, the top culprit of that probe (by {@link Expect#culprit()}) and its user frame (by
 * {@link Expect#userFrame()}). INCONCLUSIVE is a miss for either truth.
 */
public final class Scoring {
    private Scoring() {
    }

    /**
     * The score of one case.
     *
     * @param kase         the case
     * @param exitStatus   the command's exit status (-1 when not known)
     * @param seconds      wall time of the soak (NaN when not known)
     * @param verdict      the overall verdict reported, or "—" with no report
     * @param probeVerdict the expected probe's verdict, or "" when the truth names no probe or the report lacks it
     * @param finding      the expected probe's finding, or ""
     * @param slope        the expected probe's slope per iteration, or NaN
     * @param culprit      the top culprit of the expected probe, as text, or ""
     * @param userFrame    that culprit's user frame, or ""
     * @param verdictOk    the overall verdict is the truth
     * @param probeOk      for a leak, the expected probe says LEAK (null when not checked)
     * @param culpritOk    the top culprit matches (null when the truth names none)
     * @param userFrameOk  its user frame matches (null when the truth names none)
     * @param problem      why there is no report, or ""
     */
    public record Score(Corpus.Case kase, int exitStatus, double seconds, String verdict, String probeVerdict,
                        String finding, double slope, String culprit, String userFrame, boolean verdictOk,
                        Boolean probeOk, Boolean culpritOk, Boolean userFrameOk, String problem) {
        /** @return whether every check the truth names passed */
        public boolean passed() {
            return verdictOk && !Boolean.FALSE.equals(probeOk) && !Boolean.FALSE.equals(culpritOk)
                    && !Boolean.FALSE.equals(userFrameOk);
        }

        /** @return the checks that failed, in words, "" when none */
        public String misses() {
            List<String> m = new ArrayList<>();
            if (!problem.isEmpty()) {
                m.add(problem);
            }
            if (!verdictOk) {
                m.add("verdict " + verdict + ", truth " + kase.expect().verdict());
            }
            if (Boolean.FALSE.equals(probeOk)) {
                m.add(kase.expect().probe() + " " + (probeVerdict.isEmpty() ? "not reported" : probeVerdict));
            }
            if (Boolean.FALSE.equals(culpritOk)) {
                m.add("culprit " + (culprit.isEmpty() ? "none" : "'" + culprit + "'") + " !~ /" + kase.expect().culprit()
                        + "/");
            }
            if (Boolean.FALSE.equals(userFrameOk)) {
                m.add("user frame " + (userFrame.isEmpty() ? "none" : "'" + userFrame + "'") + " !~ /"
                        + kase.expect().userFrame() + "/");
            }
            return String.join("; ", m);
        }
    }

    /**
     * @param kase       the case
     * @param report     the JSON report, or null when there is none
     * @param exitStatus the command's exit status (-1 when not known)
     * @param seconds    wall time (NaN when not known)
     * @return the score
     * @throws IOException if the report exists but cannot be read
     */
    public static Score score(Corpus.Case kase, Path report, int exitStatus, double seconds) throws IOException {
        if (report == null || !Files.isRegularFile(report)) {
            return noReport(kase, exitStatus, seconds, "no report (exit " + exitStatus + " " + exitMeaning(exitStatus)
                    + ")");
        }
        Object doc;
        try {
            doc = Json.parse(Files.readString(report));
        } catch (IllegalArgumentException e) {
            return noReport(kase, exitStatus, seconds, "unreadable report: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m)) {
            return noReport(kase, exitStatus, seconds, "report is not a JSON object");
        }
        return score(kase, m, exitStatus, seconds);
    }

    /**
     * @param kase       the case
     * @param report     the parsed JSON report
     * @param exitStatus the command's exit status (-1 when not known)
     * @param seconds    wall time (NaN when not known)
     * @return the score
     */
    public static Score score(Corpus.Case kase, Map<?, ?> report, int exitStatus, double seconds) {
        Expect t = kase.expect();
        String verdict = str(report.get("verdict"), "?");
        boolean verdictOk = verdict.equals(t.verdict().name());
        String probeVerdict = "";
        String finding = "";
        double slope = Double.NaN;
        if (!t.probe().isEmpty()) {
            for (Object o : list(report.get("probes"))) {
                if (o instanceof Map<?, ?> p && t.probe().equals(p.get("name"))) {
                    probeVerdict = str(p.get("verdict"), "");
                    finding = str(p.get("finding"), "");
                    slope = slopeOf(p);
                }
            }
        }
        Boolean probeOk = t.verdict() == Truth.LEAK && !t.probe().isEmpty() ? "LEAK".equals(probeVerdict) : null;
        Map<?, ?> top = t.probe().isEmpty() ? null : topCulprit(report, t.probe());
        String culpritText = top == null ? "" : culpritText(top);
        String userFrame = top == null ? "" : userFrameOf(top);
        Boolean culpritOk = null;
        Boolean userFrameOk = null;
        if (t.verdict() == Truth.LEAK && !t.culprit().isEmpty()) {
            culpritOk = top != null && culpritMatches(top, t.culprit());
        }
        if (t.verdict() == Truth.LEAK && !t.userFrame().isEmpty()) {
            userFrameOk = top != null && find(t.userFrame(), userFrame);
        }
        return new Score(kase, exitStatus, seconds, verdict, probeVerdict, finding, slope, culpritText, userFrame,
                verdictOk, probeOk, culpritOk, userFrameOk, "");
    }

    static String exitMeaning(int status) {
        return switch (status) {
            case 0 -> "no leak";
            case 1 -> "leak";
            case 2 -> "usage or bad input";
            case 3 -> "inconclusive";
            case 4 -> "the target threw";
            case 5 -> "the soaked JVM died";
            case 124, 137, 143 -> "killed by the corpus' time limit";
            default -> "?";
        };
    }

    private static Score noReport(Corpus.Case kase, int exitStatus, double seconds, String problem) {
        Expect t = kase.expect();
        boolean leak = t.verdict() == Truth.LEAK;
        return new Score(kase, exitStatus, seconds, "—", "", "", Double.NaN, "", "", false,
                leak && !t.probe().isEmpty() ? false : null, leak && !t.culprit().isEmpty() ? false : null,
                leak && !t.userFrame().isEmpty() ? false : null, problem);
    }

    /** The first culprit of the probe; a culprit without a probe field (older reports) stands for any probe. */
    private static Map<?, ?> topCulprit(Map<?, ?> report, String probe) {
        for (Object o : list(report.get("culprits"))) {
            if (o instanceof Map<?, ?> c) {
                Object p = c.get("probe");
                if (p == null || probe.equals(p)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static boolean culpritMatches(Map<?, ?> c, String regex) {
        if (find(regex, str(c.get("kind"), ""))) {
            return true;
        }
        for (String key : List.of("path", "stack")) {
            for (Object frame : list(c.get(key))) {
                if (find(regex, String.valueOf(frame))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String userFrameOf(Map<?, ?> c) {
        if (c.containsKey("userFrame")) {
            return str(c.get("userFrame"), "");
        }
        return str(c.get("site"), "");
    }

    private static String culpritText(Map<?, ?> c) {
        String kind = str(c.get("kind"), "?");
        String source = str(c.get("source"), "");
        return source.isEmpty() ? kind : source + ":" + kind;
    }

    private static double slopeOf(Map<?, ?> p) {
        Object s = p.get("slope");
        if (s instanceof Double d) {
            return d;
        }
        if (s instanceof Map<?, ?> m && m.get("perIteration") instanceof Double d) {
            return d;
        }
        return Double.NaN;
    }

    private static boolean find(String regex, String text) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(text).find();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String str(Object o, String absent) {
        return o == null ? absent : o instanceof Double d ? String.format(Locale.ROOT, "%s", d) : o.toString();
    }
}
