package dev.leakproof.cli.internal;

import dev.leakproof.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The target JVM's main class, started by {@link TargetJvm}:
 * {@code SoakChild terminal|plain END-FILE SOAK-OPTIONS...}. It records in END-FILE that it started, soaks
 * here with the same options as {@code leakproof soak}, records the status it ends with, and exits with it;
 * a JVM that dies on the way leaves no status, which the command reports as a crash.
 */
public final class SoakChild {
    /** First argument: draw a redrawn progress bar. */
    static final String TERMINAL = "terminal";
    /** First argument: print progress as lines. */
    static final String PLAIN = "plain";

    private SoakChild() {
    }

    /** @param args {@code terminal|plain END-FILE SOAK-OPTIONS...} */
    public static void main(String[] args) {
        if (args.length < 2 || !(args[0].equals(TERMINAL) || args[0].equals(PLAIN))) {
            System.err.println("leakproof: " + SoakChild.class.getName() + " is started by 'leakproof soak', with "
                    + "terminal|plain END-FILE SOAK-OPTIONS...");
            System.exit(Main.USAGE);
        }
        Path endFile = Path.of(args[1]);
        record(endFile, TargetJvm.startLine());
        Streams io = new Streams(System.out, System.err, args[0].equals(TERMINAL));
        int status;
        try {
            status = Commands.soakHere(io).execute(Arrays.copyOfRange(args, 2, args.length));
        } catch (Throwable t) {
            // an error outside the soak (leakproof's own, or a class path missing part of leakproof): the JVM
            // that runs the target failed, and no verdict was reached
            System.err.println("leakproof: the target JVM failed outside the soak: " + t);
            t.printStackTrace();
            status = Main.TARGET_DIED;
        }
        System.out.flush();
        System.err.flush();
        record(endFile, TargetJvm.endLine(status));
        System.exit(status);
    }

    /** Replaces the end file's content at once, so the command never reads half of it. */
    private static void record(Path endFile, String line) {
        try {
            Path tmp = endFile.resolveSibling(endFile.getFileName() + ".tmp");
            Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, endFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("leakproof: cannot record the soak's end in " + endFile + ": " + e.getMessage());
        }
    }
}
