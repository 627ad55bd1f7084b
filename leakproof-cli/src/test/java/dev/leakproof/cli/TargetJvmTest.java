package dev.leakproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak runs in a JVM started for it: the user's classes on its application class path, its JVM
 * arguments, and how it ends — a verdict, the target's exception (4), or its death (5) — told apart.
 */
class TargetJvmTest {
    /** Short soaks: these tests are about the JVM the soak runs in, not about verdicts. */
    private static final List<String> SHORT = List.of("--iterations", "400", "--warmup", "50", "--samples", "8",
            "--quiet");

    @TempDir
    Path dir;

    /** Runs {@code soak} with these arguments, {@link #SHORT} where they do not say otherwise, and a report here. */
    private Cli soak(String... args) {
        List<String> all = new ArrayList<>(List.of("soak"));
        all.addAll(List.of(args));
        for (int i = 0; i < SHORT.size(); i++) {
            String option = SHORT.get(i);
            boolean hasValue = i + 1 < SHORT.size() && !SHORT.get(i + 1).startsWith("--");
            if (all.stream().noneMatch(a -> a.equals(option) || a.startsWith(option + "="))) {
                all.add(option);
                if (hasValue) {
                    all.add(SHORT.get(i + 1));
                }
            }
            if (hasValue) {
                i++;
            }
        }
        all.add("--report=" + dir.resolve("report.html"));
        return Cli.run(all.toArray(String[]::new));
    }

    private static void assertVerdict(Cli r) {
        assertTrue(Set.of(Main.NO_LEAK, Main.LEAK, Main.INCONCLUSIVE).contains(r.status()),
                "a verdict, not " + r.status() + ":\n" + r.out() + r.err());
        assertTrue(r.out().contains("report: "), r.out());
    }

    @Test
    void aJdbcDriverOnTheClassPathIsFoundByDriverManagerInTheTargetJvm() throws Exception {
        Path h2 = Path.of(System.getProperty("leakproof.test.h2", "target/fixtures/h2.jar"));
        assertTrue(Files.isRegularFile(h2), "the build copies H2 to " + h2);
        assertNull(ClassLoader.getSystemClassLoader().getResource("org/h2/Driver.class"),
                "H2 must reach the target JVM through --cp only");
        Path classes = Sources.compile(dir.resolve("classes"), "h2fixture.OpensH2", """
                package h2fixture;

                import java.sql.Connection;
                import java.sql.DriverManager;
                import java.sql.ResultSet;
                import java.sql.SQLException;
                import java.sql.Statement;

                public class OpensH2 implements Runnable {
                    @Override
                    public void run() {
                        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:leakproof");
                             Statement s = c.createStatement();
                             ResultSet r = s.executeQuery("select 1")) {
                            r.next();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                """);
        Cli r = soak("--class", "h2fixture.OpensH2", "--cp", h2 + File.pathSeparator + classes);
        assertVerdict(r);
        assertFalse(r.err().contains("No suitable driver"), r.err());
    }

    @Test
    void aJvmArgReachesTheTargetJvm() {
        Cli big = soak("--class", "dev.leakproof.cli.fixtures.SmallHeapOnly");
        assertEquals(Main.TARGET_THREW, big.status(), big.out() + big.err());
        assertTrue(big.err().contains("the constructor of dev.leakproof.cli.fixtures.SmallHeapOnly threw"), big.err());
        assertTrue(big.err().contains("above 64 MiB"), big.err());

        Cli small = soak("--class", "dev.leakproof.cli.fixtures.SmallHeapOnly", "--jvm-arg", "-Xmx64m");
        assertVerdict(small);
    }

    @Test
    void theTargetJvmSizesTlabsAsG1DoesUnlessTheSamplingOptionsArePassed() {
        // fixed TLABs made native-libs noisier (docs/culprits.md): not a default
        Cli plain = soak("--class", "dev.leakproof.cli.fixtures.TlabSizeIs", "--jvm-arg=-Dexpect.tlab=0",
                "--jvm-arg=-Dexpect.resize=true");
        assertVerdict(plain);
        List<String> args = new java.util.ArrayList<>(List.of("--class", "dev.leakproof.cli.fixtures.TlabSizeIs",
                "--jvm-arg=-Dexpect.tlab=4096", "--jvm-arg=-Dexpect.resize=false"));
        dev.leakproof.soak.Soak.CULPRIT_SAMPLING_JVM_OPTIONS.forEach(o -> args.add("--jvm-arg=" + o));
        assertVerdict(soak(args.toArray(String[]::new)));
        Cli wrong = soak("--class", "dev.leakproof.cli.fixtures.TlabSizeIs", "--jvm-arg=-Dexpect.tlab=4096",
                "--jvm-arg=-Dexpect.resize=false");
        assertEquals(Main.TARGET_THREW, wrong.status(), wrong.out() + wrong.err());
    }

    @Test
    void aWildcardClassPathFindsTheTargetInAJarOfThatDirectory() throws Exception {
        Path classes = Sources.compile(dir.resolve("classes"), "wildcard.Target", """
                package wildcard;

                public class Target implements Runnable {
                    private long n;

                    @Override
                    public void run() {
                        n += Long.toString(n).length();
                    }
                }
                """);
        Path lib = dir.resolve("lib");
        Sources.jar(classes, lib.resolve("target.jar"));
        Cli r = soak("--class", "wildcard.Target", "--cp", lib + File.separator + "*");
        assertVerdict(r);
        assertTrue(r.out().startsWith("wildcard.Target: "), r.out());
    }

    @Test
    void aTargetThatThrowsEndsWithFourNamingTheIterationTheExceptionAndItsStack() {
        Cli r = soak("--class", "dev.leakproof.cli.fixtures.ThrowsAtIteration", "--warmup=10");
        assertEquals(Main.TARGET_THREW, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("threw at iteration"), r.err());
        assertTrue(r.err().contains("java.lang.IllegalStateException: boom at call 30"), r.err());
        assertTrue(r.err().contains("at dev.leakproof.cli.fixtures.ThrowsAtIteration.run(ThrowsAtIteration.java:"),
                r.err());
    }

    @Test
    void aTargetThatCrashesItsJvmEndsWithFiveAndPointsAtTheCrashLog() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("crash"));
        Cli r = soak("--class", "dev.leakproof.cli.fixtures.WritesToAddressZero",
                "--jvm-arg=-XX:ErrorFile=" + logs + "/hs_err_pid%p.log", "--jvm-arg=-XX:-CreateCoredumpOnCrash");
        assertEquals(Main.TARGET_DIED, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("the target JVM crashed with signal 11 (SIGSEGV)"), r.err());
        try (var files = Files.list(logs)) {
            Path log = files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).findFirst().orElseThrow();
            assertTrue(r.err().contains("See " + log.getFileName() + " in " + logs), r.err());
        }
        assertTrue(r.err().contains("WritesToAddressZero.run"), "the Java frames name the target: " + r.err());
        assertFalse(r.out().contains("report: "), "no verdict, no report: " + r.out());
    }

    @Test
    void aTargetThatEndsItsJvmEndsWithFiveAndSaysWithWhichStatus() {
        Cli r = soak("--class", "dev.leakproof.cli.fixtures.Halts", "--warmup=5");
        assertEquals(Main.TARGET_DIED, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("the target JVM exited with status 42 before the soak finished"), r.err());
    }

    @Test
    void aJvmArgTheJvmRejectsIsBadInput() {
        Cli r = soak("--class", "dev.leakproof.cli.fixtures.CleanRunnable", "--jvm-arg=-Xmx64q");
        assertEquals(Main.USAGE, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("Invalid maximum heap size"), "java's own message: " + r.err());
        assertTrue(r.err().contains("the target JVM did not start") && r.err().contains("[-Xmx64q]"), r.err());
    }
}
