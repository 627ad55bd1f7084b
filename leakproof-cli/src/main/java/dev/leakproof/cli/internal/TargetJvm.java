package dev.leakproof.cli.internal;

import dev.leakproof.cli.Main;
import dev.leakproof.soak.Soak;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a soak in a JVM started for it, as JMH forks a benchmark: the command's own JVM stays out of the
 * measurements, and the user's classes sit on the target JVM's application class path, so
 * {@code ServiceLoader}, JDBC's {@code DriverManager} and the context class loader behave as in the user's
 * program.
 *
 * <p>The target JVM runs {@link SoakChild} with the same soak options; it prints the progress and the report
 * itself (to the same standard output and error) and records how it ended in a small file before it exits.
 * A JVM that ends without recording it crashed or was stopped: that is said plainly, with the signal or exit
 * status and the JVM's crash log when there is one, and is never read as a verdict.
 */
public final class TargetJvm {
    /**
     * The flags every target JVM gets before the user's {@code --jvm-arg}s: NMT's summary for the {@code nmt}
     * and {@code native-libs} probes, native access for FFM-based code (the driver's and the user's).
     *
     * <p>Not {@link Soak#CULPRIT_SAMPLING_JVM_OPTIONS}: fixed TLABs give the culprit pass many more samples, but they
     * made {@code native-libs} noisier. A fixed 40,000-iteration soak of an FFM arena churn came out INCONCLUSIVE in
     * 3 of 12 runs with 4 KB or 32 KB fixed TLABs, and in 0 of 12 without them. A user who wants more culprit samples
     * passes them with {@code --jvm-arg}.
     */
    public static final List<String> FLAGS = List.of("-XX:NativeMemoryTracking=summary",
            "--enable-native-access=ALL-UNNAMED");

    private static final String STARTED = "started";
    private static final String STATUS = "status ";

    private TargetJvm() {
    }

    /**
     * Starts the target JVM and waits for it.
     *
     * @param jvmArgs   the user's JVM arguments, after {@link #FLAGS}
     * @param userCp    the user's class path entries, before leakproof's own
     * @param soakArgs  the soak options, as {@link SoakChild} reads them
     * @param io        where the target JVM's output goes: inherited when these are the process's own streams,
     *                  copied otherwise
     * @return the command's exit status
     */
    public static int run(List<String> jvmArgs, List<String> userCp, List<String> soakArgs, Streams io) {
        Path dir;
        try {
            dir = Files.createTempDirectory("leakproof-target-");
        } catch (IOException e) {
            throw new UsageException("cannot create a temporary directory for the target JVM: " + e.getMessage());
        }
        try {
            return run(jvmArgs, userCp, soakArgs, io, dir.resolve("end"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    private static int run(List<String> jvmArgs, List<String> userCp, List<String> soakArgs, Streams io,
                           Path endFile) {
        List<String> classPath = new ArrayList<>(userCp);
        classPath.addAll(ClassPaths.own());
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(FLAGS);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(SoakChild.class.getName());
        command.add(io.terminal() ? SoakChild.TERMINAL : SoakChild.PLAIN);
        command.add(endFile.toString());
        command.addAll(soakArgs);

        ProcessBuilder builder = new ProcessBuilder(command);
        boolean inherit = io.out() == System.out && io.err() == System.err;
        if (inherit) {
            builder.inheritIO();
        }
        Process process;
        long started = System.currentTimeMillis();
        try {
            process = builder.start();
        } catch (IOException e) {
            io.err().println("leakproof: cannot start the target JVM (" + command.getFirst() + "): " + e.getMessage());
            return Main.TARGET_DIED;
        }
        // if this JVM is stopped (Ctrl-C, kill), the target JVM goes with it
        Thread reaper = new Thread(process::destroy, "leakproof-target-reaper");
        boolean hooked = addShutdownHook(reaper);
        try {
            List<Thread> copiers = new ArrayList<>();
            if (!inherit) {
                process.getOutputStream().close();
                copiers.add(copy(process.getInputStream(), io.out(), "leakproof-target-out"));
                copiers.add(copy(process.getErrorStream(), io.err(), "leakproof-target-err"));
            }
            int exit = process.waitFor();
            for (Thread t : copiers) {
                t.join();
            }
            return interpret(exit, process.pid(), started, jvmArgs, endFile, io.err());
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            io.err().println("leakproof: interrupted; the target JVM was stopped");
            return Main.TARGET_DIED;
        } catch (IOException e) {
            process.destroy();
            io.err().println("leakproof: lost the target JVM's output: " + e.getMessage());
            return Main.TARGET_DIED;
        } finally {
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** @return the {@code java} of the JVM running this code: the target runs on the same JDK */
    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Thread copy(InputStream in, PrintStream out, String name) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the target JVM went away: its exit status says how
            }
        });
    }

    /** Reads how the target JVM ended: its recorded status, or the exit code or signal of a JVM that died. */
    static int interpret(int exit, long pid, long started, List<String> jvmArgs, Path endFile, PrintStream err) {
        String end;
        try {
            end = Files.exists(endFile) ? Files.readString(endFile, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            end = null;
        }
        if (end != null && end.startsWith(STATUS)) {
            int status = Integer.parseInt(end.substring(STATUS.length()));
            if (status != exit) {
                err.printf(Locale.ROOT, "leakproof: note: the target JVM ended with %s after the soak had finished "
                        + "(a shutdown hook of the target?); the soak's own status stands%n", describeExit(exit));
            }
            return status;
        }
        if (end == null && exit > 0 && exit <= 128) {
            err.printf(Locale.ROOT, "leakproof: the target JVM did not start: java exited with status %d before "
                    + "running leakproof (java's own message is above); check the --jvm-arg values%s%n", exit,
                    jvmArgs.isEmpty() ? "" : " " + jvmArgs);
            return Main.USAGE;
        }
        err.println("leakproof: " + describeDeath(exit, pid, started, jvmArgs));
        return Main.TARGET_DIED;
    }

    /**
     * @param exit the target JVM's exit code as {@link Process#exitValue()} gives it (128 + N for signal N)
     * @param pid  its process id, which names its crash log
     * @param started when it was started, in {@link System#currentTimeMillis()} time: an older crash log of the same
     *                name belongs to another process
     * @param jvmArgs the user's JVM arguments, where {@code -XX:ErrorFile} may move the crash log
     * @return what happened, in a sentence or a few lines
     */
    static String describeDeath(int exit, long pid, long started, List<String> jvmArgs) {
        Optional<Path> log = crashLog(pid, started, jvmArgs);
        if (log.isPresent()) {
            return describeCrash(log.get());
        }
        if (exit > 128) {
            int signal = exit - 128;
            String why = switch (signal) {
                case 9 -> " (the kernel's out-of-memory killer sends it, as does kill -9)";
                case 15 -> " (kill, or the system shutting down)";
                case 2 -> " (Ctrl-C)";
                default -> "";
            };
            return String.format(Locale.ROOT, "the target JVM was killed by signal %d (%s)%s before the soak finished; "
                    + "no verdict", signal, signalName(signal), why);
        }
        return String.format(Locale.ROOT, "the target JVM exited with status %d before the soak finished: the target "
                + "called System.exit or Runtime.halt; no verdict", exit);
    }

    private static String describeExit(int exit) {
        return exit > 128 ? "signal " + (exit - 128) + " (" + signalName(exit - 128) + ")" : "status " + exit;
    }

    private static final Pattern HS_SIGNAL = Pattern.compile("#\\s+(SIG[A-Z0-9]+) \\(0x([0-9a-fA-F]+)\\)(.*)");

    /** Frames of the target shown from a crash log. */
    private static final int CRASH_FRAMES = 4;
    /** An interpreted ({@code j}) or compiled ({@code J 123 c2}) JDK frame, or a VM stub ({@code v}). */
    private static final Pattern JDK_FRAME = Pattern.compile(
            "(?:[jJ]\\s+(?:\\d+%?\\s+c\\d\\s+)?(?:java|javax|jdk|sun|com\\.sun)\\.|v\\s).*");

    /**
     * Summarises the JVM's crash log: what happened, the problematic frame, and the innermost Java frames
     * outside the JDK (the code that made the bad call).
     */
    static String describeCrash(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            lines = List.of();
        }
        String what = null;
        String frame = null;
        List<String> javaFrames = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = HS_SIGNAL.matcher(line);
            if (what == null && m.matches()) {
                int signal = Integer.parseInt(m.group(2), 16);
                what = String.format(Locale.ROOT, " with signal %d (%s)%s", signal, m.group(1),
                        m.group(3).replaceFirst(",\\s*pid=.*", ""));
            } else if (what == null && line.startsWith("# There is insufficient memory")) {
                what = ": " + line.substring(2).strip();
            } else if (frame == null && line.startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                frame = lines.get(i + 1).replaceFirst("^#\\s*", "").strip();
            } else if (javaFrames.isEmpty() && line.startsWith("Java frames:")) {
                for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
                    String f = lines.get(j).strip();
                    if (f.contains(" " + InProcessSoak.class.getName())) {
                        break; // leakproof calling the target: the target's frames end here
                    }
                    if ((!javaFrames.isEmpty() || !JDK_FRAME.matcher(f).matches()) && javaFrames.size() < CRASH_FRAMES) {
                        javaFrames.add(f);
                    }
                }
            }
        }
        String nl = System.lineSeparator();
        StringBuilder s = new StringBuilder("the target JVM crashed").append(what != null ? what : "")
                .append("; no verdict. See ").append(log.getFileName()).append(" in ")
                .append(log.toAbsolutePath().getParent());
        if (frame != null) {
            s.append(nl).append("  problematic frame: ").append(frame);
        }
        if (!javaFrames.isEmpty()) {
            s.append(nl).append("  the target's Java frames, innermost first:");
            javaFrames.forEach(f -> s.append(nl).append("    ").append(f));
        }
        return s.toString();
    }

    /** Where HotSpot writes its crash log: {@code -XX:ErrorFile}, else the working directory, else /tmp. */
    static Optional<Path> crashLog(long pid, long started, List<String> jvmArgs) {
        List<Path> candidates = new ArrayList<>();
        for (String arg : jvmArgs) {
            if (arg.startsWith("-XX:ErrorFile=")) {
                String file = arg.substring("-XX:ErrorFile=".length()).replace("%p", Long.toString(pid))
                        .replace("%%", "%");
                candidates.add(Path.of(file));
            }
        }
        String name = "hs_err_pid" + pid + ".log";
        candidates.add(Path.of(name));
        candidates.add(Path.of(System.getProperty("java.io.tmpdir"), name));
        candidates.add(Path.of("/tmp", name));
        return candidates.stream().filter(p -> writtenSince(p, started)).map(Path::toAbsolutePath).findFirst();
    }

    private static boolean writtenSince(Path file, long millis) {
        try {
            // file times may be kept in whole seconds
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).toMillis() >= millis - 1000;
        } catch (IOException e) {
            return false;
        }
    }

    /** @param signal a POSIX signal number @return its name, as Linux numbers them */
    static String signalName(int signal) {
        String[] names = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
            "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
            "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
            "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
        return signal > 0 && signal < names.length ? names[signal] : "SIG" + signal;
    }

    /** @param status a status the target JVM ends with @return the line {@link SoakChild} records */
    static String endLine(int status) {
        return STATUS + status;
    }

    /** @return the line {@link SoakChild} records first, before it reads its arguments */
    static String startLine() {
        return STARTED;
    }
}
