package dev.leakproof.cli.internal;

import dev.leakproof.cli.Main;
import dev.leakproof.kv.internal.InjectedLeaks;
import dev.leakproof.soak.Probe;
import dev.leakproof.soak.ProgressListener;
import dev.leakproof.soak.Soak;
import dev.leakproof.soak.SoakAbortedException;
import dev.leakproof.soak.SoakOptions;
import dev.leakproof.soak.SoakReports;
import dev.leakproof.soak.SoakResult;
import dev.leakproof.soak.SoakTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs a soak in this JVM — the target JVM — and reports it: the header line, the progress, the report text
 * (or, with {@code --quiet}, the verdict line and the advice), the HTML and JSON files. The user's class is
 * loaded by the application class loader, where {@code --cp} put it.
 */
final class InProcessSoak {
    /** Stack frames of a target's exception printed before "... N more". */
    private static final int FRAMES = 8;
    /** Culprits listed in the text report. */
    private static final int CULPRITS = 5;

    private InProcessSoak() {
    }

    /**
     * @param plan what to soak and how
     * @param io   where to print
     * @return the exit status
     * @throws UsageException if the class cannot be soaked or a report cannot be written
     */
    static int run(SoakCommand.Plan plan, Streams io) {
        Path tempDir = null;
        try {
            SoakTarget target;
            if (plan.scenario() != null) {
                tempDir = Files.createTempDirectory("leakproof-" + plan.scenario().name() + "-");
                target = plan.scenario().factory().create(tempDir, plan.cluster());
                InjectedLeaks.clearAll();
                if (plan.leaky()) {
                    InjectedLeaks.injectForDemonstration(plan.scenario().leak());
                }
            } else {
                target = classTarget(plan.className(), plan.cp());
            }
            SoakOptions o = plan.options();
            if (!plan.quiet()) {
                io.err().println("leakproof: soaking " + plan.name() + ": " + describe(o));
            }
            ProgressListener progress = plan.quiet() ? ProgressListener.NONE : new Progress(io.err(), io.terminal());
            SoakResult result;
            try {
                result = Soak.run(plan.name(), o, target, Probe.builtIns(), progress);
            } catch (SoakAbortedException e) {
                io.err().println("leakproof: " + e.getMessage());
                printStack(e.getCause(), io.err());
                return Main.TARGET_THREW;
            } catch (RuntimeException | Error e) {
                io.err().println("leakproof: the soak stopped on " + e + " (thrown by the target, or by leakproof "
                        + "itself if the stack below shows no frame of the target)");
                printStack(e, io.err());
                return Main.TARGET_THREW;
            }
            writeReports(result, plan);
            print(result, plan, io.out());
            return switch (result.verdict()) {
                case NO_LEAK -> Main.NO_LEAK;
                case LEAK -> Main.LEAK;
                case INCONCLUSIVE -> Main.INCONCLUSIVE;
            };
        } catch (IOException e) {
            throw new UsageException("cannot write: " + e.getMessage());
        } finally {
            if (plan.scenario() != null) {
                InjectedLeaks.clearAll();
            }
            if (tempDir != null) {
                deleteTree(tempDir);
            }
        }
    }

    /**
     * Prints the outcome: the report text, or with {@code --quiet} the verdict line and what stayed undecided;
     * then where the reports went.
     */
    static void print(SoakResult result, SoakCommand.Plan plan, PrintStream out) {
        if (plan.quiet()) {
            out.printf(Locale.ROOT, "%s: %s (%,d iterations)%n", plan.name(), result.verdict(), result.iterations());
            if (!result.advice().isEmpty()) {
                out.println("Undecided:");
                result.advice().lines().forEach(l -> out.println("  " + l));
            }
        } else {
            out.print(SoakReports.text(result, CULPRITS));
        }
        out.println("report: " + plan.report().toAbsolutePath());
        if (plan.json() != null) {
            out.println("json: " + plan.json().toAbsolutePath());
        }
    }

    /** @return how long the soak runs and how closely, in one line */
    static String describe(SoakOptions o) {
        StringBuilder s = new StringBuilder();
        if (o.duration() != null) {
            s.append("for ").append(Units.formatDuration(o.duration()));
        } else if (o.autoExtend()) {
            s.append(String.format(Locale.ROOT, "from %,d iterations, extended while undecided for up to %s",
                    o.iterations(), Units.formatDuration(o.maxDuration())));
        } else {
            s.append(String.format(Locale.ROOT, "%,d iterations", o.iterations()));
        }
        s.append(String.format(Locale.ROOT, ", %,d warm-up, %d samples", o.warmup(), o.samples()));
        if (o.minLeakBytesPerIteration() > 0) {
            s.append(", floor ").append(Units.formatSize(o.minLeakBytesPerIteration())).append("/iteration");
        }
        if (!o.culprits()) {
            s.append(", culprits off");
        }
        if (o.nativeCulprits()) {
            s.append(", native culprits on");
        }
        return s.toString();
    }

    /**
     * Prints what the target threw: the exception, its frames down to the soak loop that called the target (at
     * most {@value #FRAMES}), and its causes.
     */
    static void printStack(Throwable t, PrintStream err) {
        for (int depth = 0; t != null && depth < 5; t = t.getCause(), depth++) {
            err.println("  " + (depth == 0 ? "" : "caused by: ") + t);
            StackTraceElement[] frames = t.getStackTrace();
            int shown = 0;
            while (shown < Math.min(FRAMES, frames.length) && !isHarness(frames[shown])) {
                err.println("      at " + frames[shown++]);
            }
            if (shown < frames.length) {
                err.println("      ... " + (frames.length - shown) + " more" + (isHarness(frames[shown])
                        ? ", from leakproof's soak loop" : ""));
            }
        }
    }

    /** @return whether the frame is leakproof calling the target, where the target's own stack ends */
    private static boolean isHarness(StackTraceElement frame) {
        return frame.getClassName().startsWith(InProcessSoak.class.getName());
    }

    private static void writeReports(SoakResult r, SoakCommand.Plan plan) throws IOException {
        write(plan.report(), SoakReports.html(r));
        if (plan.json() != null) {
            write(plan.json(), SoakReports.json(r));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Files.writeString(absolute, text);
    }

    /**
     * @param className the user's class, on the application class path
     * @param cp        what the user gave as {@code --cp}, for the messages, or null
     * @return a target: constructed in set-up, {@code run()} each iteration, closed in tear-down if
     *         {@link AutoCloseable}
     * @throws UsageException if the class is missing or cannot be soaked
     */
    static SoakTarget classTarget(String className, String cp) {
        Class<?> cls;
        try {
            cls = Class.forName(className, false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UsageException("class '" + className + "' not found" + (cp == null ? " (give --cp PATH)"
                    : " on --cp " + cp));
        } catch (LinkageError e) {
            throw new UsageException("class '" + className + "' cannot be loaded: " + e);
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
        Class<?> targetClass = cls;
        return new SoakTarget() {
            private Runnable instance;

            @Override
            public void setUp() throws Exception {
                try {
                    instance = (Runnable) ctor.newInstance();
                } catch (InvocationTargetException e) {
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

            @Override
            public Class<?> userClass() {
                // culprits pick the user's own line by this class's package, not by this wrapper's
                return targetClass;
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
