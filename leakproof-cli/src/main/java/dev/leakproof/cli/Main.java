package dev.leakproof.cli;

import dev.leakproof.cli.internal.Commands;
import dev.leakproof.cli.internal.Streams;
import java.io.Console;
import java.io.PrintStream;

/**
 * The {@code leakproof} command: soak a built-in scenario or any class, and say whether it leaks.
 *
 * <pre>
 * leakproof scenarios
 * leakproof soak --scenario NAME [--leaky] [options]
 * leakproof soak --class FQCN [--cp PATH] [options]
 * leakproof generate-completion
 * </pre>
 * The soak runs in a JVM started for it, as JMH forks a benchmark, so the command's own JVM never sits in
 * the measurements; {@code leakproof soak --help} lists the options.
 * {@snippet :
 * int status = Main.run(new String[] {"soak", "--scenario", "tag-entries"}, System.out, System.err, false);
 * }
 * Exit status: 0 no leak, 1 leak, 2 bad usage or bad input, 3 inconclusive, 4 the target threw, 5 the target
 * JVM died.
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
    /** Exit status: the soaked code threw (in its constructor, set-up or an iteration), so there is no verdict. */
    public static final int TARGET_THREW = 4;
    /** Exit status: the target JVM died before the soak finished (a crash, a signal, {@code System.exit}). */
    public static final int TARGET_DIED = 5;

    private Main() {
    }

    /** @param args command line */
    public static void main(String[] args) {
        Console console = System.console();
        int status;
        try {
            status = run(args, System.out, System.err, console != null && console.isTerminal());
        } catch (Throwable t) {
            // a JVM ended by an uncaught error exits with 1, which would read as a leak
            System.err.println("leakproof: could not run: " + t);
            t.printStackTrace();
            status = USAGE;
        }
        System.exit(status);
    }

    /**
     * Runs the command without exiting the JVM. The soak's target JVM writes to {@code out} and {@code err}
     * directly when they are this process's {@link System#out} and {@link System#err}; otherwise its output
     * is copied to them.
     *
     * @param args     command line
     * @param out      standard output
     * @param err      standard error
     * @param terminal whether a person watches: a redrawn progress bar, colours in the help
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        return Commands.leakproof(new Streams(out, err, terminal)).execute(args);
    }
}
