package dev.leakproof.soak;

import dev.leakproof.core.internal.Json;
import dev.leakproof.soak.SoakResult.ProbeResult;
import dev.leakproof.soak.SoakResult.SoakCulprit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link SoakResult} as a text summary (LeakSanitizer style), as JSON (schema in
 * {@code docs/report-schema.md}, version {@value #SCHEMA_VERSION}), and as one self-contained HTML page
 * (no network: inline SVG charts, no scripts needed to read it).
 */
public final class SoakReports {
    /** Version of the JSON schema; bumped only on incompatible change. */
    public static final int SCHEMA_VERSION = 2;

    private SoakReports() {
    }

    // ------------------------------------------------------------------ text

    /**
     * @param r a result
     * @param maxCulprits culprits listed at most per leaking probe
     * @return the summary, ending with a newline
     */
    public static String text(SoakResult r, int maxCulprits) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "leakproof soak '%s': %s  (%,d iterations in %.1f s, %d samples%s)%n%n",
                r.name(), r.verdict(), r.iterations(), r.elapsed().toNanos() / 1e9, samples(r), passes(r)));
        out.append(String.format(Locale.ROOT, "  %-14s %-13s %14s   %-28s %s%n", "probe", "verdict", "slope/iteration",
                (int) Math.round(r.options().confidence() * 100) + "% interval", "finding"));
        for (ProbeResult p : r.probes()) {
            if (!p.available()) {
                out.append(String.format(Locale.ROOT, "  %-14s %-13s %s%n", p.name(), "unavailable", p.reason()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %-14s %-13s %14s   %-28s %s%n", p.name(), label(p),
                    amount(p.slope().perIteration(), p.unit()), "[" + amount(p.slope().low(), p.unit()) + ", "
                            + amount(p.slope().high(), p.unit()) + "]", p.note()));
        }
        if (!r.advice().isEmpty()) {
            out.append("\nUndecided:\n");
            r.advice().lines().forEach(l -> out.append("  ").append(l).append('\n'));
        }
        boolean any = false;
        for (ProbeResult p : r.probes()) {
            List<SoakCulprit> cs = r.culpritsOf(p.name());
            if (p.verdict() != Verdict.LEAK && cs.isEmpty()) {
                continue;
            }
            if (!p.deciding() && cs.isEmpty()) {
                continue;
            }
            any = true;
            out.append('\n').append(headline(p, cs)).append('\n');
            if (!p.culpritNote().isEmpty()) {
                out.append("  ").append(p.culpritNote()).append('\n');
            }
            for (SoakCulprit c : cs.subList(0, Math.min(maxCulprits, cs.size()))) {
                out.append("  - ").append(culpritLine(c)).append('\n');
                if (!c.path().isEmpty()) {
                    out.append("      held by ").append(String.join(" → ", c.path())).append('\n');
                }
                if (!c.userFrame().isEmpty()) {
                    out.append("      at ").append(c.userFrame()).append(" (your code)\n");
                }
                List<String> stack = c.stack();
                for (int i = 0; i < Math.min(6, stack.size()); i++) {
                    out.append("        #").append(i).append(' ').append(stack.get(i)).append('\n');
                }
                if (stack.size() > 6) {
                    out.append("        ... ").append(stack.size() - 6).append(" more frames (JSON/HTML report)\n");
                }
                if (!c.note().isEmpty()) {
                    out.append("      ").append(c.note()).append('\n');
                }
            }
        }
        if (!any && r.verdict() == Verdict.LEAK) {
            out.append("\nNo culprit was named for the leaking probes.\n");
        }
        if (!r.nativeCulprits().status().equals("off")) {
            out.append("\nNative culprits: ").append(r.nativeCulprits().status()).append(" — ")
                    .append(r.nativeCulprits().message()).append('\n');
        }
        return out.toString();
    }

    private static int samples(SoakResult r) {
        return r.probes().isEmpty() ? 0 : r.probes().getFirst().iterations().length;
    }

    private static String passes(SoakResult r) {
        return r.passes().size() > 1 ? ", extended " + (r.passes().size() - 1) + "×" : "";
    }

    /** The verdict column: informational probes never show a red LEAK. */
    static String label(ProbeResult p) {
        if (!p.deciding()) {
            return p.verdict() == Verdict.LEAK ? "grows (info)" : p.verdict() == Verdict.NO_LEAK ? "flat (info)"
                    : "unsure (info)";
        }
        return p.finding() == SoakResult.Finding.GROWS_BELOW_FLOOR ? "BELOW_FLOOR" : p.verdict().name();
    }

    private static String headline(ProbeResult p, List<SoakCulprit> cs) {
        StringBuilder h = new StringBuilder();
        h.append(String.format(Locale.ROOT, "%s %s: ", p.unit() == Probe.Unit.BYTES ? "~" + fmt(p.slope().perIteration())
                + " B/it on" : fmt(p.slope().perIteration()) + "/it in", p.name()));
        if (cs.isEmpty()) {
            return h.append("no culprit named").toString();
        }
        List<String> parts = new ArrayList<>();
        for (SoakCulprit c : cs.subList(0, Math.min(3, cs.size()))) {
            parts.add(c.kind() + " " + (c.bytesPerIteration() != 0 ? fmt(c.bytesPerIteration()) + " B/it"
                    : fmt(c.perIteration()) + "/it"));
        }
        h.append(String.join(", ", parts));
        SoakCulprit top = cs.getFirst();
        if (!top.path().isEmpty()) {
            h.append(" — held by ").append(String.join(" → ", top.path()));
        }
        if (!top.userFrame().isEmpty()) {
            h.append("; at ").append(top.userFrame());
        }
        return h.toString();
    }

    private static String culpritLine(SoakCulprit c) {
        StringBuilder b = new StringBuilder(c.kind()).append(": ");
        if (c.bytesPerIteration() != 0) {
            b.append(fmt(c.bytesPerIteration())).append(" B/iteration, ");
        }
        b.append(fmt(c.perIteration())).append(c.probe().equals("threads") ? " threads" : c.probe().equals("fds")
                ? " descriptors" : " objects").append("/iteration");
        if (!Double.isNaN(c.share())) {
            b.append(String.format(Locale.ROOT, ", %.0f%% of the growth", c.share() * 100));
        }
        b.append(String.format(Locale.ROOT, ", %,d at the end [%s]", c.liveAtEnd(), c.source()));
        return b.toString();
    }

    private static String amount(double v, Probe.Unit unit) {
        return fmt(v) + (unit == Probe.Unit.BYTES ? " B" : "");
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return a >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    // ------------------------------------------------------------------ json

    /** @param r a result @return the JSON document */
    public static String json(SoakResult r) {
        return Json.write(toMap(r));
    }

    /** @param r a result @return the JSON document as nested maps and lists */
    public static Map<String, Object> toMap(SoakResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("name", r.name());
        m.put("verdict", r.verdict().name());
        m.put("iterations", r.iterations());
        m.put("elapsedMillis", r.elapsed().toMillis());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("warmup", r.options().warmup());
        opts.put("samples", r.options().samples());
        opts.put("analysisFraction", r.options().analysisFraction());
        opts.put("confidence", r.options().confidence());
        opts.put("minLeakBytesPerIteration", r.options().minLeakBytesPerIteration());
        opts.put("autoExtend", r.options().autoExtend());
        opts.put("maxDurationMillis", r.options().maxDuration().toMillis());
        opts.put("trackingLevel", r.options().trackingLevel().name());
        m.put("options", opts);
        List<Object> passes = new ArrayList<>();
        for (SoakResult.Pass p : r.passes()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("iterations", p.iterations());
            pm.put("samples", p.samples());
            pm.put("undecided", p.undecided());
            passes.add(pm);
        }
        m.put("passes", passes);
        List<Object> probes = new ArrayList<>();
        for (ProbeResult p : r.probes()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("unit", p.unit() == Probe.Unit.BYTES ? "bytes" : "count");
            pm.put("description", p.description());
            pm.put("available", p.available());
            if (!p.available()) {
                pm.put("reason", p.reason());
            }
            pm.put("deciding", p.deciding());
            // an informational probe has no verdict of its own: what its series shows is under "judged"
            pm.put("verdict", p.deciding() ? p.verdict().name() : "INFORMATIONAL");
            pm.put("judged", p.verdict().name());
            pm.put("finding", p.finding().name());
            pm.put("note", p.note());
            pm.put("culpritNote", p.culpritNote());
            pm.put("threshold", p.threshold());
            pm.put("instrumentFloor", p.instrumentFloor());
            if (p.slope() != null) {
                pm.put("slope", p.slope().perIteration());
                pm.put("interval", List.of(p.slope().low(), p.slope().high()));
                pm.put("confidence", p.slope().confidence());
                pm.put("intercept", p.slope().intercept());
                pm.put("pValue", p.slope().pValue());
            }
            pm.put("judgedFrom", p.judgedFrom());
            List<Object> samples = new ArrayList<>();
            for (int i = 0; i < p.iterations().length; i++) {
                samples.add(List.of(p.iterations()[i], p.values()[i]));
            }
            pm.put("samples", samples);
            probes.add(pm);
        }
        m.put("probes", probes);
        List<Object> culprits = new ArrayList<>();
        for (SoakCulprit c : r.culprits()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("probe", c.probe());
            cm.put("source", c.source());
            cm.put("kind", c.kind());
            cm.put("site", c.site());
            cm.put("userFrame", c.userFrame());
            cm.put("countPerIteration", c.perIteration());
            cm.put("bytesPerIteration", c.bytesPerIteration());
            cm.put("share", c.share());
            cm.put("liveAtEnd", c.liveAtEnd());
            cm.put("bytesAtEnd", c.bytesAtEnd());
            cm.put("path", c.path());
            cm.put("stack", c.stack());
            cm.put("note", c.note());
            culprits.add(cm);
        }
        m.put("culprits", culprits);
        Map<String, Object> nat = new LinkedHashMap<>();
        nat.put("status", r.nativeCulprits().status());
        nat.put("message", r.nativeCulprits().message());
        nat.put("jfrFile", r.nativeCulprits().jfrFile());
        m.put("nativeCulprits", nat);
        m.put("advice", r.advice());
        return m;
    }

    // ------------------------------------------------------------------ html

    /** @param r a result @return one self-contained HTML page */
    public static String html(SoakResult r) {
        StringBuilder h = new StringBuilder(32_768);
        boolean belowFloor = r.probes().stream().anyMatch(p -> p.deciding()
                && p.finding() == SoakResult.Finding.GROWS_BELOW_FLOOR);
        String color = switch (r.verdict()) {
            case LEAK -> "#b3261e";
            case NO_LEAK -> belowFloor ? "#8a6d00" : "#1e7b34";
            case INCONCLUSIVE -> "#8a6d00";
        };
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>leakproof soak: ").append(esc(r.name())).append(" — ").append(r.verdict())
                .append("</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}")
                .append("main{max-width:1100px;margin:0 auto;padding:16px}")
                .append(".banner{color:#fff;padding:18px 24px;font-size:22px;font-weight:600}")
                .append(".banner small{display:block;font-size:14px;font-weight:400;opacity:.9}")
                .append(".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}")
                .append(".chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}")
                .append(".chart h3{margin:0 0 4px;font-size:14px}.chart p{margin:2px 0;font-size:12px;color:#555}")
                .append(".LEAK{color:#b3261e;font-weight:600}.NO_LEAK{color:#1e7b34;font-weight:600}")
                .append(".INCONCLUSIVE{color:#8a6d00;font-weight:600}.info{color:#666;font-weight:600}")
                .append(".note{font-style:italic}.probe-culprits{margin:4px 0;padding-left:18px;font-size:12px}")
                .append(".chart,td{overflow-wrap:anywhere}code{overflow-wrap:anywhere}")
                .append("#culprits th:first-child{width:2.5em}#culprits th:last-child{width:38%}")
                .append("#soak-json{max-height:400px;overflow:auto;background:#fff;border:1px solid #ddd;padding:6px}")
                .append("table{border-collapse:collapse;width:100%;background:#fff;table-layout:fixed}")
                .append("td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}")
                .append("th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}")
                .append("pre{margin:4px 0;font-size:12px;white-space:pre-wrap}")
                .append("svg text{font-size:10px;fill:#555}\n</style></head><body>\n");
        h.append("<div class=\"banner\" id=\"verdict\" style=\"background:").append(color).append("\">")
                .append(esc(r.name())).append(": ").append(r.verdict())
                .append(belowFloor && r.verdict() == Verdict.NO_LEAK ? " — grows, below your floor" : "")
                .append(String.format(Locale.ROOT, "<small>%,d iterations in %.1f s · %d samples%s · judged on the later "
                                + "%.0f%% · %d%% intervals</small></div>\n<main>\n", r.iterations(),
                        r.elapsed().toNanos() / 1e9, samples(r), passes(r), r.options().analysisFraction() * 100,
                        Math.round(r.options().confidence() * 100)));
        if (!r.advice().isEmpty()) {
            h.append("<p><b>Undecided:</b></p><pre id=\"advice\">").append(esc(r.advice())).append("</pre>\n");
        }
        h.append("<h2>Probes</h2>\n<div class=\"charts\">\n");
        for (ProbeResult p : r.probes()) {
            h.append("<div class=\"chart\" data-probe=\"").append(esc(p.name())).append("\"><h3>")
                    .append(esc(p.name())).append(" <span class=\"").append(p.available() && p.deciding()
                            ? p.verdict().name() : "info").append("\">").append(p.available() ? esc(label(p))
                            : "unavailable").append("</span>")
                    .append(p.deciding() || !p.available() ? "" : " <small>(informational)</small>").append("</h3>");
            h.append("<p>").append(esc(p.description())).append("</p>");
            if (!p.available()) {
                h.append("<p>").append(esc(p.reason())).append("</p></div>\n");
                continue;
            }
            h.append(String.format(Locale.ROOT, "<p>slope %s per iteration, interval [%s, %s], floor %s, "
                            + "p=%.2g</p>", amount(p.slope().perIteration(), p.unit()), amount(p.slope().low(), p.unit()),
                    amount(p.slope().high(), p.unit()), amount(p.threshold(), p.unit()), p.slope().pValue()));
            h.append("<p class=\"note\" data-finding=\"").append(p.finding().name()).append("\" title=\"")
                    .append(p.finding().name()).append("\">").append(esc(p.note())).append("</p>");
            svg(h, p);
            if (!p.culpritNote().isEmpty()) {
                h.append("<p class=\"culprit-note\">").append(esc(p.culpritNote())).append("</p>");
            }
            List<SoakCulprit> cs = r.culpritsOf(p.name());
            if (!cs.isEmpty()) {
                h.append("<ol class=\"probe-culprits\">");
                for (SoakCulprit c : cs.subList(0, Math.min(5, cs.size()))) {
                    h.append("<li><details><summary>").append(esc(culpritLine(c)))
                            .append(c.userFrame().isEmpty() ? "" : " — at <code>" + esc(c.userFrame()) + "</code>")
                            .append("</summary>");
                    if (!c.path().isEmpty()) {
                        h.append("<p>held by <code>").append(esc(String.join(" → ", c.path()))).append("</code></p>");
                    }
                    if (!c.note().isEmpty()) {
                        h.append("<p>").append(esc(c.note())).append("</p>");
                    }
                    h.append("<pre>").append(esc(String.join("\n", c.stack()))).append("</pre></details></li>");
                }
                h.append("</ol>");
            }
            h.append("</div>\n");
        }
        h.append("</div>\n<h2>Culprits</h2>\n");
        if (r.culprits().isEmpty()) {
            h.append("<p id=\"no-culprits\">").append(r.verdict() == Verdict.LEAK
                    ? "No culprit was named for the leaking probes." : "No culprit: nothing leaks.").append("</p>\n");
        } else {
            h.append("<table id=\"culprits\"><thead><tr><th>#</th><th>probe</th><th>source</th><th>kind</th>")
                    .append("<th>bytes / iteration</th><th>count / iteration</th><th>live at end</th>")
                    .append("<th>where (full stack on click)</th></tr></thead><tbody>\n");
            int i = 1;
            for (SoakCulprit c : r.culprits()) {
                h.append("<tr><td class=\"num\">").append(i++).append("</td><td>").append(esc(c.probe()))
                        .append("</td><td>").append(esc(c.source()))
                        .append("</td><td>").append(esc(c.kind())).append("</td><td class=\"num\">")
                        .append(fmt(c.bytesPerIteration())).append("</td><td class=\"num\">").append(fmt(c.perIteration()))
                        .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", c.liveAtEnd()))
                        .append("</td><td><details><summary>").append(esc(c.site())).append("</summary><pre>")
                        .append(esc(String.join("\n", c.stack()))).append("</pre></details></td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("<h2>Native culprits</h2>\n<p>").append(esc(r.nativeCulprits().status())).append(": ")
                .append(esc(r.nativeCulprits().message())).append("</p>\n");
        String data = json(r).strip();
        h.append("<p><small>Method: Theil–Sen slope over the judged samples with Sen's interval and the Mann–Kendall "
                + "trend test, decision rules per kind of probe; see docs/soak-method.md.</small></p>\n")
                .append("<details id=\"json\"><summary>Data (JSON, schema version ").append(SCHEMA_VERSION)
                .append(")</summary><pre id=\"soak-json\">").append(esc(data)).append("</pre></details>\n")
                .append("<script type=\"application/json\" id=\"soak-data\">").append(data.replace("</", "<\\/"))
                .append("</script>\n</main></body></html>\n");
        return h.toString();
    }

    private static void svg(StringBuilder h, ProbeResult p) {
        int w = 330;
        int ht = 170;
        int left = 58;
        int right = 8;
        int top = 8;
        int bottom = 22;
        long[] xs = p.iterations();
        double[] ys = p.values();
        double xmax = Math.max(1, xs[xs.length - 1]);
        double ymin = Double.MAX_VALUE;
        double ymax = -Double.MAX_VALUE;
        for (double y : ys) {
            if (!Double.isNaN(y)) {
                ymin = Math.min(ymin, y);
                ymax = Math.max(ymax, y);
            }
        }
        if (ymin == ymax) {
            ymin -= 1;
            ymax += 1;
        }
        double pad = (ymax - ymin) * 0.08;
        double y0 = ymin - pad;
        double y1 = ymax + pad;
        h.append("<svg width=\"").append(w).append("\" height=\"").append(ht).append("\" viewBox=\"0 0 ").append(w)
                .append(' ').append(ht).append("\" role=\"img\" aria-label=\"").append(esc(p.name()))
                .append(" over iterations\">");
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" "
                + "stroke=\"#ccc\"/>", left, top, w - left - right, ht - top - bottom));
        double judgedX = xs[p.judgedFrom()];
        h.append(String.format(Locale.ROOT, "<rect class=\"judged\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"#eef3fb\"/>", sx(judgedX, xmax, left, w - right), top,
                sx(xmax, xmax, left, w - right) - sx(judgedX, xmax, left, w - right), ht - top - bottom));
        if (p.slope() != null) {
            // interval band: lines of the low and high slopes through the judged samples' median point
            double xm = (judgedX + xmax) / 2;
            double ym = p.slope().intercept() + p.slope().perIteration() * xm;
            StringBuilder band = new StringBuilder();
            band.append(pt(judgedX, ym + p.slope().low() * (judgedX - xm), xmax, y0, y1, left, w - right, top, ht - bottom))
                    .append(' ').append(pt(xmax, ym + p.slope().low() * (xmax - xm), xmax, y0, y1, left, w - right, top, ht - bottom))
                    .append(' ').append(pt(xmax, ym + p.slope().high() * (xmax - xm), xmax, y0, y1, left, w - right, top, ht - bottom))
                    .append(' ').append(pt(judgedX, ym + p.slope().high() * (judgedX - xm), xmax, y0, y1, left, w - right, top, ht - bottom));
            h.append("<polygon class=\"interval\" points=\"").append(band).append("\" fill=\"#f4b400\" fill-opacity=\"0.25\"/>");
            h.append("<polyline class=\"fit\" fill=\"none\" stroke=\"#d93025\" stroke-width=\"1.5\" points=\"")
                    .append(pt(judgedX, p.slope().intercept() + p.slope().perIteration() * judgedX, xmax, y0, y1, left, w - right, top, ht - bottom))
                    .append(' ')
                    .append(pt(xmax, p.slope().intercept() + p.slope().perIteration() * xmax, xmax, y0, y1, left, w - right, top, ht - bottom))
                    .append("\"/>");
        }
        h.append("<g class=\"samples\" fill=\"#1a73e8\">");
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isNaN(ys[i])) {
                String[] xy = pt(xs[i], ys[i], xmax, y0, y1, left, w - right, top, ht - bottom).split(",");
                h.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"2.2\"/>");
            }
        }
        h.append("</g>");
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 4, top + 9,
                esc(axis(y1, p.unit()))));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 4,
                ht - bottom, esc(axis(y0, p.unit()))));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0</text>", left, ht - 8));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%,d iterations</text>",
                w - right, ht - 8, (long) xmax));
        h.append("</svg>");
    }

    private static String axis(double v, Probe.Unit unit) {
        if (unit == Probe.Unit.COUNT) {
            return fmt(v);
        }
        double a = Math.abs(v);
        return a >= 1 << 30 ? String.format(Locale.ROOT, "%.2f GiB", v / (1 << 30))
                : a >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20))
                : a >= 1 << 10 ? String.format(Locale.ROOT, "%.1f KiB", v / (1 << 10))
                : String.format(Locale.ROOT, "%.0f B", v);
    }

    private static double sx(double x, double xmax, int l, int r) {
        return l + (r - l) * x / xmax;
    }

    private static String pt(double x, double y, double xmax, double y0, double y1, int l, int r, int t, int b) {
        double py = b - (b - t) * (y - y0) / (y1 - y0);
        py = Math.max(t, Math.min(b, py));
        return String.format(Locale.ROOT, "%.1f,%.1f", sx(x, xmax, l, r), py);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
