package dev.leakproof.cli.internal;

import java.io.PrintStream;

/**
 * Where the command prints, and whether a person watches.
 *
 * @param out      standard output: the report text, the verdict line, where the reports went
 * @param err      standard error: progress, warnings, errors
 * @param terminal draw a redrawn progress bar rather than a line per tenth
 */
public record Streams(PrintStream out, PrintStream err, boolean terminal) {
}
