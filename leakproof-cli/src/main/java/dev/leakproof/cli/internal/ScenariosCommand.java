package dev.leakproof.cli.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leakproof scenarios}: one line per built-in scenario. */
@Command(name = "scenarios", description = "List the built-in scenarios.")
public final class ScenariosCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** @param io where to print */
    public ScenariosCommand(Streams io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public Integer call() {
        io.out().println("Built-in scenarios (leakproof soak --scenario NAME):");
        for (Scenario s : Scenarios.all()) {
            io.out().printf(Locale.ROOT, "  %-22s %s%s%n", s.name(), s.description(),
                    s.leak() != null ? " [--leaky]" : "");
        }
        return 0;
    }
}
