package dev.leakproof.cli.internal;

import dev.leakproof.soak.SoakOptions;
import dev.leakproof.soak.SoakOptions.Defaults;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code leakproof soak}: its options, how they become {@link SoakOptions}, and where the soak runs — in a
 * JVM started for it ({@link TargetJvm}), or, inside that JVM, here ({@link InProcessSoak}). Both read the same
 * options the same way, so the target JVM rejects nothing the command accepted.
 */
@Command(name = "soak", sortOptions = false, synopsisHeading = "", customSynopsis = {
    "usage: leakproof soak --scenario NAME [--leaky] [--cluster URI] [options]",
    "       leakproof soak --class FQCN [--cp PATH] [options]"},
        descriptionHeading = "%n", description = {
            "Loops an operation, samples every kind of memory, and decides with statistics whether it leaks.",
            "The operation runs in a JVM started for it (as JMH forks), with the user's classes first on its class "
                    + "path; that JVM gets " + "-XX:NativeMemoryTracking=summary --enable-native-access=ALL-UNNAMED "
                    + "and the --jvm-arg values, and no -Xmx unless one is given."},
        optionListHeading = "%nOptions:%n", exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Commands.EXIT_0, Commands.EXIT_1, Commands.EXIT_2, Commands.EXIT_3, Commands.EXIT_4,
            Commands.EXIT_5}, defaultValueProvider = SoakCommand.DefaultsFromSoakOptions.class)
public final class SoakCommand implements Callable<Integer> {

    /** Where the soak runs. */
    public enum Where {
        /** In a JVM started for it: what the command does. */
        TARGET_JVM,
        /** In this JVM: what the target JVM does. */
        HERE
    }

    private final Streams io;
    private final Where where;

    @Spec
    private CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", completionCandidates = ScenarioNames.class, order = 1,
            description = "A built-in scenario: ${COMPLETION-CANDIDATES} (see 'leakproof scenarios').")
    private String scenario;

    @Option(names = "--leaky", order = 2, description = "Run a post-* scenario with its 2015 leak switched on.")
    private boolean leaky;

    @Option(names = "--cluster", paramLabel = "URI", order = 2,
            description = "Run the scenario on a Redis Cluster (redis://host:port[,host:port...]) instead of an "
                    + "embedded RocksDB in a temporary directory; scripts/redis-cluster.sh start makes a local one.")
    private URI cluster;

    @Option(names = "--class", paramLabel = "FQCN", order = 3, description = "A public class with a public no-arg "
            + "constructor implementing Runnable: one iteration = run(); AutoCloseable is closed at the end.")
    private String className;

    @Option(names = "--cp", paramLabel = "PATH", order = 4, description = "Where to find it: entries separated by "
            + "'${sys:path.separator}', 'dir/*' for every jar in dir, as java -cp reads them; first on the target "
            + "JVM's class path.")
    private String cp;

    @Option(names = "--jvm-arg", paramLabel = "ARG", order = 5,
            description = "An argument for the target JVM, e.g. --jvm-arg=-Xmx64m; repeat for more.")
    private List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--iterations", paramLabel = "N", converter = Units.PositiveCount.class, order = 6,
            description = "Run exactly N measured iterations. Without it the run starts at the scenario's count "
                    + "(or ${DEFAULT-VALUE}) and doubles while a probe is undecided, up to --max-duration.")
    private long iterations;

    @Option(names = "--duration", paramLabel = "TIME", converter = Units.Time.class, order = 7,
            description = "Run for this long instead: 30s, 5m, 1h, 500ms.")
    private Duration duration;

    @Option(names = "--max-duration", paramLabel = "TIME", converter = Units.Time.class, order = 8,
            description = "Time budget of a run that extends itself (default ${DEFAULT-VALUE}).")
    private Duration maxDuration;

    @Option(names = "--warmup", paramLabel = "N", converter = Units.Count.class, order = 9,
            description = "Warm-up iterations, not measured (default: the scenario's, or ${DEFAULT-VALUE}).")
    private long warmup;

    @Option(names = "--samples", paramLabel = "K", converter = Units.PositiveInt.class, order = 10,
            description = "Samples per pass, at least 8 (default ${DEFAULT-VALUE}).")
    private int samples;

    @Option(names = "--min-leak", paramLabel = "SIZE", converter = Units.Size.class, order = 11,
            description = "Your floor, in bytes per iteration: 64B, 1KB, 1KiB, 0.5MB. Smaller growth is reported "
                    + "as below your floor and does not fail the run (default: the scenario's, or ${DEFAULT-VALUE}: "
                    + "only what the instrument cannot resolve is ignored).")
    private double minLeak;

    @Option(names = "--no-culprits", order = 12,
            description = "Do not look for the culprits of a leak (class histograms, paths from GC roots).")
    private boolean noCulprits;

    @Option(names = "--native-culprits", order = 13,
            description = "Profile native allocations with async-profiler (Linux).")
    private boolean nativeCulprits;

    @Option(names = "--tracking", paramLabel = "LEVEL", converter = Units.Level.class, order = 14,
            description = "leakproof-core's tracking level during the run: off, sampled, counted or full (default "
                    + "${DEFAULT-VALUE}: every tracked resource counted, one site in 128 recorded; the culprit pass "
                    + "records every site). full records every site throughout, at its cost.")
    private dev.leakproof.core.TrackingLevel tracking;

    @Option(names = "--report", paramLabel = "FILE.html", defaultValue = "leakproof-report.html", order = 15,
            description = "HTML report (default ${DEFAULT-VALUE}).")
    private Path report;

    @Option(names = "--json", paramLabel = "FILE.json", order = 16, description = "JSON report too.")
    private Path json;

    @Option(names = "--quiet", order = 17,
            description = "Print only the verdict line, what stayed undecided, and where the reports went.")
    private boolean quiet;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 18, description = "Show this help and exit.")
    private boolean help;

    /**
     * @param io    where to print
     * @param where where the soak runs
     */
    public SoakCommand(Streams io, Where where) {
        this.io = Objects.requireNonNull(io, "io");
        this.where = Objects.requireNonNull(where, "where");
    }

    @Override
    public Integer call() {
        Plan plan = plan();
        if (where == Where.HERE) {
            return InProcessSoak.run(plan, io);
        }
        List<String> userCp = cp != null ? ClassPaths.checkUserClassPath(cp) : List.of();
        return TargetJvm.run(jvmArgs, userCp, givenArguments(), io);
    }

    /**
     * What to soak and how, checked.
     *
     * @param name       for the reports
     * @param scenario   the built-in scenario, or null
     * @param leaky      with its leak switched on
     * @param className  the user's class, or null
     * @param cp         where the user said it is, or null
     * @param options    how
     * @param report     the HTML report
     * @param json       the JSON report, or null
     * @param quiet      print only the verdict, the advice and where the reports went
     * @param cluster    the Redis Cluster a scenario runs on, or null for an embedded database
     */
    public record Plan(String name, Scenario scenario, boolean leaky, String className, String cp,
                       SoakOptions options, Path report, Path json, boolean quiet, URI cluster) {
    }

    Plan plan() {
        if ((scenario == null) == (className == null)) {
            throw new UsageException("give exactly one of --scenario NAME or --class FQCN");
        }
        if (cp != null && className == null) {
            throw new UsageException("--cp goes with --class");
        }
        if (leaky && scenario == null) {
            throw new UsageException("--leaky goes with a post-* --scenario");
        }
        if (cluster != null && scenario == null) {
            throw new UsageException("--cluster goes with --scenario");
        }
        if (given("--iterations") && given("--duration")) {
            throw new UsageException("give --iterations or --duration, not both");
        }
        if (given("--max-duration") && (given("--iterations") || given("--duration"))) {
            throw new UsageException("--max-duration bounds a run that extends itself; it does not go with "
                    + (given("--iterations") ? "--iterations (a fixed run)" : "--duration"));
        }
        Scenario builtIn = null;
        if (scenario != null) {
            builtIn = Scenarios.find(scenario).orElseThrow(() -> new UsageException("no scenario named '" + scenario
                    + "'; 'leakproof scenarios' lists them: "
                    + String.join(", ", Scenarios.all().stream().map(Scenario::name).toList())));
            if (leaky && builtIn.leak() == null) {
                throw new UsageException("scenario '" + builtIn.name() + "' has no leaky variant; the post-* "
                        + "scenarios do");
            }
            if (cluster != null && !Scenarios.runsOnRedis(builtIn)) {
                throw new UsageException("scenario '" + builtIn.name() + "' replays a leak in code only the embedded "
                        + "RocksDB backend runs; it has no --cluster variant");
            }
            if (cluster != null && !"redis".equals(cluster.getScheme())) {
                throw new UsageException("--cluster takes a redis://host:port[,host:port...] URI, got " + cluster);
            }
        }
        SoakOptions o = SoakOptions.defaults();
        try {
            if (builtIn != null) {
                o = o.withInitialIterations(builtIn.iterations()).withWarmup(builtIn.warmup())
                        .withMinLeak(builtIn.minLeakBytesPerIteration());
            }
            if (given("--iterations")) {
                o = o.withIterations(iterations);
            }
            if (given("--duration")) {
                o = o.withDuration(duration);
            }
            if (given("--max-duration")) {
                o = o.withMaxDuration(maxDuration);
            }
            if (given("--warmup")) {
                o = o.withWarmup(warmup);
            }
            if (given("--samples")) {
                o = o.withSamples(samples);
            }
            if (given("--min-leak")) {
                o = o.withMinLeak(minLeak);
            }
            if (noCulprits) {
                o = o.withCulprits(false);
            }
            o = o.withNativeCulprits(nativeCulprits);
            if (given("--tracking")) {
                o = o.withTrackingLevel(tracking);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(withOption(e.getMessage()));
        }
        String name = builtIn != null ? builtIn.name() + (leaky ? " (leaky)" : "")
                + (cluster != null ? " on Redis Cluster" : "") : className;
        return new Plan(name, builtIn, leaky, className, cp, o, report, json, quiet, cluster);
    }

    /** @return SoakOptions' message, e.g. "samples must be at least 8", after the option that sets that field */
    private static String withOption(String message) {
        String option = switch (message.split("[ (]", 2)[0]) {
            case "iterations" -> "--iterations";
            case "duration" -> "--duration";
            case "maxDuration" -> "--max-duration";
            case "warmup" -> "--warmup";
            case "samples" -> "--samples";
            case "minLeakBytesPerIteration" -> "--min-leak";
            default -> null;
        };
        return option == null ? message : option + ": " + message;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The options as given, one {@code --name=value} each, for the target JVM to read the same way. */
    private List<String> givenArguments() {
        ParseResult parsed = spec.commandLine().getParseResult();
    List<String> args = new ArrayList<>();
        for (OptionSpec option : parsed.matchedOptions()) {
            if (option.arity().max() == 0) {
                args.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    args.add(option.longestName() + "=" + value);
                }
            }
        }
        return args;
    }

    /** The help's and the options' defaults, read from {@link SoakOptions.Defaults} and nowhere else. */
    public static final class DefaultsFromSoakOptions implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argSpec) {
            if (!(argSpec instanceof OptionSpec option)) {
                return null;
            }
            return switch (option.longestName()) {
                case "--iterations" -> Units.formatCount(Defaults.ITERATIONS);
                case "--warmup" -> Units.formatCount(Defaults.WARMUP);
                case "--samples" -> Integer.toString(Defaults.SAMPLES);
                case "--max-duration" -> Units.formatDuration(Defaults.MAX_DURATION);
                case "--min-leak" -> Units.formatSize(Defaults.MIN_LEAK_BYTES_PER_ITERATION);
                case "--tracking" -> Defaults.TRACKING_LEVEL.name().toLowerCase(java.util.Locale.ROOT);
                default -> null;
            };
        }
    }

    /** The scenarios' names, for the help and for shell completion. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Scenarios.all().stream().map(Scenario::name).iterator();
        }
    }
}
