package dev.leakproof.cli.internal;

import dev.leakproof.cli.Main;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the command's picocli {@link CommandLine}s: the whole {@code leakproof} command, and the {@code soak}
 * command alone for the target JVM. Errors are printed as {@code leakproof: what is wrong} and a pointer to
 * the help, and end with {@link Main#USAGE}.
 */
public final class Commands {
    /** Exit status descriptions, for the help (picocli's {@code key:description}). */
    static final String EXIT_0 = "0:no leak";
    static final String EXIT_1 = "1:a leak";
    static final String EXIT_2 = "2:bad usage or bad input";
    static final String EXIT_3 = "3:inconclusive: the advice says what would decide it";
    static final String EXIT_4 = "4:the target threw (the iteration, the exception and its stack are printed)";
    static final String EXIT_5 = "5:the target JVM died: a crash, a signal, or System.exit by the target";

    private Commands() {
    }

    /**
     * @param io where to print
     * @return the {@code leakproof} command: {@code scenarios}, {@code soak}, {@code help},
     *         {@code generate-completion}
     */
    public static CommandLine leakproof(Streams io) {
        CommandLine root = new CommandLine(new LeakproofCommand(io));
        root.addSubcommand(new ScenariosCommand(io));
        root.addSubcommand(new SoakCommand(io, SoakCommand.Where.TARGET_JVM));
        root.addSubcommand(new CommandLine.HelpCommand());
        root.addSubcommand(new AutoComplete.GenerateCompletion());
        return configure(root, io);
    }

    /**
     * @param io where to print
     * @return the {@code soak} command alone, soaking in this JVM: what the target JVM runs
     */
    public static CommandLine soakHere(Streams io) {
        return configure(new CommandLine(new SoakCommand(io, SoakCommand.Where.HERE)), io);
    }

    private static CommandLine configure(CommandLine cl, Streams io) {
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        cl.setColorScheme(Help.defaultColorScheme(io.terminal() ? Help.Ansi.AUTO : Help.Ansi.OFF));
        cl.setUsageHelpWidth(100);
        cl.setParameterExceptionHandler(new ParameterErrors());
        cl.setExecutionExceptionHandler(new ExecutionErrors());
        return cl;
    }

    /** @return {@code Run 'leakproof soak --help' for usage.}, for the command that failed */
    private static String helpHint(CommandLine where) {
        String name = where.getCommandSpec().qualifiedName();
        // the target JVM's soak command stands alone; its user typed 'leakproof soak'
        return "Run '" + (name.startsWith("leakproof") ? name : "leakproof " + name) + " --help' for usage.";
    }

    /** Parse errors, in the command's words. */
    private static final class ParameterErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine where = ex.getCommandLine();
            PrintWriter err = where.getErr();
            err.println("leakproof: " + message(ex, where));
            if (ex instanceof UnmatchedArgumentException u) {
                UnmatchedArgumentException.printSuggestions(u, err);
            }
            err.println(helpHint(where));
            err.flush();
            return Main.USAGE;
        }

        private static String message(ParameterException ex, CommandLine where) {
            if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                String first = u.getUnmatched().getFirst();
                if (first.startsWith("-")) {
                    return "unknown option '" + first + "'";
                }
                if (where.getParent() == null && where.getCommandSpec().subcommands().size() > 1) {
                    return "unknown command '" + first + "': expected one of "
                            + String.join(", ", where.getSubcommands().keySet().stream().map(n -> "'" + n + "'")
                            .toList());
                }
                return "'" + where.getCommandName() + "' takes no arguments besides its options, got '" + first + "'";
            }
            if (ex instanceof MissingParameterException m && m.getMissing().size() == 1
                    && m.getMissing().getFirst() instanceof OptionSpec o) {
                return o.longestName() + " needs a value (" + o.paramLabel() + ")";
            }
            ArgSpec arg = ex.getArgSpec();
            if (ex.getCause() instanceof TypeConversionException t && arg instanceof OptionSpec o) {
                return o.longestName() + " " + t.getMessage();
            }
            String m = ex.getMessage();
            return m.isEmpty() ? m : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        }
    }

    /** Bad input found after parsing ({@link UsageException}); anything else is leakproof's own failure. */
    private static final class ExecutionErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine where, CommandLine.ParseResult parsed) {
            PrintWriter err = where.getErr();
            if (ex instanceof UsageException) {
                err.println("leakproof: " + ex.getMessage());
                err.println(helpHint(where));
            } else {
                err.println("leakproof: could not run: " + ex);
                ex.printStackTrace(err);
            }
            err.flush();
            return Main.USAGE;
        }
    }
}
