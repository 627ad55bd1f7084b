package dev.leakproof.cli;

import dev.leakproof.cli.internal.Progress;
import dev.leakproof.cli.internal.Scenario;
import dev.leakproof.cli.internal.Scenarios;
import dev.leakproof.cli.internal.UsageException;
import dev.leakproof.kv.internal.InjectedLeaks;
import dev.leakproof.soak.Probe;
import dev.leakproof.soak.ProgressListener;
import dev.leakproof.soak.Soak;
import dev.leakproof.soak.SoakAbortedException;
import dev.leakproof.soak.SoakOptions;
import dev.leakproof.soak.SoakReports;
import dev.leakproof.soak.SoakResult;
import dev.leakproof.soak.SoakTarget;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code leakproof} command: soak a built-in scenario or any class, and say whether it leaks.
 *
 * <pre>
 * leakproof scenarios
 * leakproof soak --scenario NAME [--leaky] [options]
 * leakproof soak --class FQCN [--cp PATH] [options]
 * </pre>
 * Exit status: 0 no leak, 1 leak, 2 bad usage or bad input, 3 inconclusive.
 */
public final class Main {
    /** Exit status: the soak found no leak. */
    public static final int NO_LEAK = 0;
    /** Exit status: the soak found a leak. */
    public static final int LEAK = 1;
    /** Exit status: bad usage or bad input. */
    public static final int USAGE = 2;
    /** Exit status: the soak could not decide. */
    public static final int INCONCLUSIVE = 3;

    static final String USAGE_TEXT = """
            usage: leakproof scenarios
                   leakproof soak --scenario NAME [--leaky] [options]
                   leakproof soak --class FQCN [--cp PATH] [options]

            Loops an operation, samples every kind of memory, and decides with statistics whether it leaks.

              --scenario NAME      a built-in scenario (see 'leakproof scenarios')
              --leaky              run a post-* scenario with its 2015 leak switched on
              --class FQCN         a public class with a public no-arg constructor implementing Runnable;
                                   one iteration = run(); AutoCloseable is closed at the end
              --cp PATH            where to find it (entries separated by '%s')
              --iterations N       measured iterations (default: the scenario's, or 50,000)
              --duration TIME      run for a time instead: 30s, 5m, 1h, 500ms
              --warmup N           warm-up iterations (default: the scenario's, or 2,000)
              --samples K          samples over the run (default 40, at least 8)
              --report FILE.html   HTML report (default leakproof-report.html)
              --json FILE.json     JSON report too
              --native-culprits    profile native allocations with async-profiler (Linux)
              --quiet              print only the verdict line and where the reports went

            exit status: 0 no leak, 1 leak, 2 bad usage or bad input, 3 inconclusive
            """.formatted(File.pathSeparator);

    private Main() {
    }

    /** @param args command line */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null && System.console().isTerminal()));
    }

    /**
     * Runs the command without exiting the JVM.
     *
     * @param args     command line
     * @param out      standard output
     * @param err      standard error
     * @param terminal whether to draw a progress bar
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
                (args.length == 0 ? err : out).print(USAGE_TEXT);
                return args.length == 0 ? USAGE : NO_LEAK;
            }
            return switch (args[0]) {
                case "scenarios" -> {
                    if (args.length > 1) {
                        throw new UsageException("'scenarios' takes no arguments, got '" + args[1] + "'");
                    }
                    listScenarios(out);
                    yield NO_LEAK;
                }
                case "soak" -> soak(List.of(args).subList(1, args.length), out, err, terminal);
                default -> throw new UsageException("unknown command '" + args[0] + "': expected 'scenarios' or 'soak'");
            };
        } catch (UsageException e) {
            err.println("leakproof: " + e.getMessage());
            err.println("Run 'leakproof --help' for usage.");
            return USAGE;
        } catch (SoakAbortedException e) {
            err.println("leakproof: " + e.getMessage());
            Throwable cause = e.getCause();
            if (cause != null) {
                err.println("  caused by: " + cause);
            }
            return USAGE;
        }
    }

    private static void listScenarios(PrintStream out) {
        out.println("Built-in scenarios (leakproof soak --scenario NAME):");
        for (Scenario s : Scenarios.all()) {
            out.printf(Locale.ROOT, "  %-22s %s%s%n", s.name(), s.description(),
                    s.leak() != null ? " [--leaky]" : "");
        }
    }

    /** Parsed {@code soak} arguments. */
    private static final class Args {
        String scenario;
        String className;
        String cp;
        Long iterations;
        Duration duration;
        Long warmup;
        Integer samples;
        Path report = Path.of("leakproof-report.html");
        Path json;
        boolean nativeCulprits;
        boolean quiet;
        boolean leaky;
    }

    private static Args parse(List<String> args) {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--native-culprits" -> a.nativeCulprits = true;
                case "--quiet" -> a.quiet = true;
                case "--leaky" -> a.leaky = true;
                case "--scenario", "--class", "--cp", "--iterations", "--duration", "--warmup", "--samples",
                     "--report", "--json" -> {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(flag + " needs a value");
                    }
                    String v = args.get(++i);
                    switch (flag) {
                        case "--scenario" -> a.scenario = v;
                        case "--class" -> a.className = v;
                        case "--cp" -> a.cp = v;
                        case "--iterations" -> a.iterations = positive(flag, v);
                        case "--duration" -> a.duration = duration(v);
                        case "--warmup" -> a.warmup = nonNegative(flag, v);
                        case "--samples" -> a.samples = Math.toIntExact(positive(flag, v));
                        case "--report" -> a.report = Path.of(v);
                        default -> a.json = Path.of(v);
                    }
                }
                default -> throw new UsageException("unknown option '" + flag + "'");
            }
        }
        if ((a.scenario == null) == (a.className == null)) {
            throw new UsageException("give exactly one of --scenario NAME or --class FQCN");
        }
        if (a.iterations != null && a.duration != null) {
            throw new UsageException("give --iterations or --duration, not both");
        }
        if (a.cp != null && a.className == null) {
            throw new UsageException("--cp goes with --class");
        }
        if (a.leaky && a.scenario == null) {
            throw new UsageException("--leaky goes with a post-* --scenario");
        }
        return a;
    }

    private static long positive(String flag, String v) {
        long n = nonNegative(flag, v);
        if (n == 0) {
            throw new UsageException(flag + " must be positive, got 0");
        }
        return n;
    }

    private static long nonNegative(String flag, String v) {
        try {
            long n = Long.parseLong(v.replace("_", "").replace(",", ""));
            if (n < 0) {
                throw new UsageException(flag + " must not be negative, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got '" + v + "'");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.isZero()) {
                throw new UsageException("--duration must be positive, got " + v);
            }
            return d;
        }
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new UsageException("--duration expects a time such as 30s, 5m, 1h or 500ms, got '" + v + "'");
        }
    }

    private static int soak(List<String> argList, PrintStream out, PrintStream err, boolean terminal) {
        Args a = parse(argList);
        SoakOptions options = SoakOptions.defaults();
        String name;
        SoakTarget target;
        Path tempDir = null;
        try {
            if (a.scenario != null) {
                Scenario s = Scenarios.find(a.scenario).orElseThrow(() -> new UsageException("no scenario named '"
                        + a.scenario + "'; 'leakproof scenarios' lists them: " + String.join(", ",
                        Scenarios.all().stream().map(Scenario::name).toList())));
                if (a.leaky && s.leak() == null) {
                    throw new UsageException("scenario '" + s.name() + "' has no leaky variant; the post-* scenarios do");
                }
                options = options.withIterations(s.iterations()).withWarmup(s.warmup())
                        .withThresholds(s.minLeakBytesPerIteration(), options.minLeakCountPerIteration());
                if (s.iterations() < SoakOptions.Defaults.SAMPLES * 10L) {
                    options = options.withSamples(20);
                }
                tempDir = Files.createTempDirectory("leakproof-" + s.name() + "-");
                target = s.factory().create(tempDir);
                name = s.name() + (a.leaky ? " (leaky)" : "");
                InjectedLeaks.clearAll();
                if (a.leaky) {
                    InjectedLeaks.injectForDemonstration(s.leak());
                }
            } else {
                name = a.className;
                target = loadClassTarget(a.className, a.cp);
            }
            options = applyFlags(options, a);
            ProgressListener progress = a.quiet ? ProgressListener.NONE : new Progress(err, terminal);
            if (!a.quiet) {
                err.printf(Locale.ROOT, "leakproof: soaking %s: %s, %,d warm-up, %d samples%s%n", name,
                        options.duration() != null ? "for " + options.duration().toString().substring(2).toLowerCase(Locale.ROOT)
                                : String.format(Locale.ROOT, "%,d iterations", options.iterations()),
                        options.warmup(), options.samples(), options.nativeCulprits() ? ", native culprits on" : "");
            }
            SoakResult result = Soak.run(name, options, target, Probe.builtIns(), progress);
            writeReports(result, a, out);
            if (a.quiet) {
                out.printf(Locale.ROOT, "%s: %s (%,d iterations)%n", name, result.verdict(), result.iterations());
            } else {
                out.print(SoakReports.text(result, 5));
            }
            out.println("report: " + a.report.toAbsolutePath());
            if (a.json != null) {
                out.println("json: " + a.json.toAbsolutePath());
            }
            return switch (result.verdict()) {
                case NO_LEAK -> NO_LEAK;
                case LEAK -> LEAK;
                case INCONCLUSIVE -> INCONCLUSIVE;
            };
        } catch (IOException e) {
            throw new UsageException("cannot write: " + e.getMessage());
        } finally {
            InjectedLeaks.clearAll();
            if (tempDir != null) {
                deleteTree(tempDir);
            }
        }
    }

    private static SoakOptions applyFlags(SoakOptions options, Args a) {
        try {
            if (a.iterations != null) {
                options = options.withIterations(a.iterations);
            }
            if (a.duration != null) {
                options = options.withDuration(a.duration);
            }
            if (a.warmup != null) {
                options = options.withWarmup(a.warmup);
            }
            if (a.samples != null) {
                options = options.withSamples(a.samples);
            }
            return options.withNativeCulprits(a.nativeCulprits);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static void writeReports(SoakResult r, Args a, PrintStream out) throws IOException {
        Path report = a.report.toAbsolutePath();
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(report, SoakReports.html(r));
        if (a.json != null) {
            Path json = a.json.toAbsolutePath();
            if (json.getParent() != null) {
                Files.createDirectories(json.getParent());
            }
            Files.writeString(json, SoakReports.json(r));
        }
    }

    static SoakTarget loadClassTarget(String className, String cp) {
        ClassLoader loader = Main.class.getClassLoader();
        if (cp != null) {
            List<URL> urls = new ArrayList<>();
            for (String entry : cp.split(Pattern.quote(File.pathSeparator))) {
                if (entry.isBlank()) {
                    continue;
                }
                Path p = Path.of(entry);
                if (!Files.exists(p)) {
                    throw new UsageException("--cp entry '" + entry + "' does not exist");
                }
                try {
                    urls.add(p.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new UsageException("--cp entry '" + entry + "' is not a valid path");
                }
            }
            loader = new URLClassLoader(urls.toArray(URL[]::new), loader);
        }
        Class<?> cls;
        try {
            cls = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UsageException("class '" + className + "' not found" + (cp == null ? " (give --cp PATH)" : " on --cp "
                    + cp));
        }
        if (!Runnable.class.isAssignableFrom(cls)) {
            throw new UsageException("class '" + className + "' does not implement Runnable: one iteration is run()");
        }
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers())) {
            throw new UsageException("class '" + className + "' must be public and concrete");
        }
        Constructor<?> ctor;
        try {
            ctor = cls.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new UsageException("class '" + className + "' has no public no-argument constructor");
        }
        return new SoakTarget() {
            Runnable instance;

            @Override
            public void setUp() throws Exception {
                try {
                    instance = (Runnable) ctor.newInstance();
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new SoakAbortedException("the constructor of " + className + " threw", e.getCause());
                }
            }

            @Override
            public void iteration() {
                instance.run();
            }

            @Override
            public void tearDown() throws Exception {
                if (instance instanceof AutoCloseable c) {
                    c.close();
                }
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
