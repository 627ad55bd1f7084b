package dev.leakproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a real report in headless Chromium and checks what the browser built from it: the verdict banner,
 * one chart per probe with its samples and fitted line, and the culprits table. Chromium comes from
 * Debian's package, installed by {@code .ci/ensure-chromium.sh} when missing.
 */
class HtmlReportBrowserTest {
    @TempDir
    Path dir;

    static Path chromium() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve(".ci/ensure-chromium.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || path.isEmpty()) {
            throw new AssertionError("headless Chromium is needed for this test and " + script + " could not provide it");
        }
        return Path.of(path);
    }

    static String run(Path browser, Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish in 60 s");
        return out;
    }

    @Test
    void theReportRendersChartsAndTheCulpritsTableInABrowser() throws Exception {
        Path html = dir.resolve("report.html");
        Cli r = Cli.run("soak", "--scenario", "post-native-result", "--leaky", "--iterations", "4000", "--samples",
                "16", "--report", html.toString());
        assertEquals(Main.LEAK, r.status(), r.out() + r.err());
        Path browser = chromium();
        String dom = run(browser, dir.resolve("profile"), "--dump-dom", html.toUri().toString());
        assertTrue(dom.contains("id=\"verdict\""), dom.substring(0, Math.min(500, dom.length())));
        assertTrue(dom.contains("post-native-result (leaky): LEAK"), "banner");
        int charts = count(dom, "<svg ");
        assertEquals(count(dom, "class=\"chart\""), charts, "one svg per chart");
        assertTrue(charts >= 9, "a chart per probe, got " + charts);
        assertTrue(count(dom, "<polyline class=\"fit\"") >= 8, "fitted lines on the available probes");
        assertTrue(count(dom, "<circle ") >= 8 * 16, "samples drawn");
        assertTrue(dom.contains("<table id=\"culprits\">"), "culprits table");
        assertTrue(dom.contains("Store.take"), "the culprit's site in the table");
        Path png = dir.resolve("report.png");
        run(browser, dir.resolve("profile2"), "--window-size=1200,1600", "--screenshot=" + png, html.toUri().toString());
        assertTrue(Files.size(png) > 20_000, "a rendered page, not a blank one: " + Files.size(png) + " bytes");
    }

    private static int count(String s, String needle) {
        return (int) Pattern.compile(Pattern.quote(needle)).matcher(s).results().count();
    }
}
