package dev.leakproof.cli.internal;

import dev.leakproof.cli.Main;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakproof}: with no command it prints its usage to standard error and ends with {@link Main#USAGE}. */
@Command(name = "leakproof", synopsisHeading = "", customSynopsis = {
    "usage: leakproof scenarios",
    "       leakproof soak --scenario NAME [--leaky] [options]",
    "       leakproof soak --class FQCN [--cp PATH] [options]",
    "       leakproof generate-completion     (bash: source <(leakproof generate-completion))"},
        descriptionHeading = "%n", description = {
            "Loops an operation, samples every kind of memory, and decides with statistics whether it leaks. "
                    + "The operation runs in a JVM started for it, as JMH forks. 'leakproof soak --help' lists the "
                    + "options."},
        commandListHeading = "%nCommands:%n", exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Commands.EXIT_0, Commands.EXIT_1, Commands.EXIT_2, Commands.EXIT_3, Commands.EXIT_4,
            Commands.EXIT_5})
public final class LeakproofCommand implements Callable<Integer> {
    private final Streams io;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** @param io where to print */
    public LeakproofCommand(Streams io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(io.err());
        return Main.USAGE;
    }
}
