package dev.leakproof.cli.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Class paths of the target JVM: the user's {@code --cp}, checked entry by entry as {@code java -cp} reads it
 * (a {@code dir/*} entry means every jar in {@code dir}), and leakproof's own, read from the running JVM.
 */
public final class ClassPaths {
    private ClassPaths() {
    }

    /**
     * Checks a {@code --cp} value the way {@code java -cp} reads it and returns its entries unchanged, for the
     * target JVM's launcher to expand as it always does.
     *
     * @param cp entries separated by {@link File#pathSeparator}
     * @return the non-empty entries, in order
     * @throws UsageException naming the first entry that does not exist, or a {@code dir/*} that holds no jar
     */
    public static List<String> checkUserClassPath(String cp) {
        List<String> entries = new ArrayList<>();
        for (String entry : cp.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                if (entry.equals("*") || entry.endsWith(File.separator + "*")) {
                    Path dir = Path.of(entry.substring(0, entry.length() - 1).isEmpty() ? "."
                            : entry.substring(0, entry.length() - 1));
                    if (!Files.isDirectory(dir)) {
                        throw new UsageException("--cp entry '" + entry + "' names a directory that does not exist");
                    }
                    if (jarsIn(dir).isEmpty()) {
                        throw new UsageException("--cp entry '" + entry + "' matches no jar: '" + dir.toAbsolutePath()
                                + "' holds no file ending in .jar (a wildcard means the jars of a directory, as "
                                + "java -cp reads it; give the directory itself for class files)");
                    }
                } else if (!Files.exists(Path.of(entry))) {
                    throw new UsageException("--cp entry '" + entry + "' does not exist");
                }
            } catch (InvalidPathException e) {
                throw new UsageException("--cp entry '" + entry + "' is not a valid path: " + e.getReason());
            }
            entries.add(entry);
        }
        return entries;
    }

    /**
     * @param dir a directory
     * @return the jars a {@code dir/*} class path entry stands for, as {@code java -cp} expands it
     */
    static List<Path> jarsIn(Path dir) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(f)) {
                    jars.add(f);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot list '" + dir + "' for the --cp wildcard: " + e.getMessage());
        }
        return jars;
    }

    /**
     * Leakproof's own class path: the running JVM's {@code java.class.path}, each jar followed by the entries of
     * its manifest's {@code Class-Path} (the jar of {@code ./leakproof} lists its libraries there, and a test
     * runner may start the JVM with a manifest-only jar that holds nothing else).
     *
     * @return absolute entries, in class-loading order, without duplicates
     */
    public static List<String> own() {
        return expand(System.getProperty("java.class.path", ""));
    }

    /**
     * @param classPath a class path as {@code java.class.path} holds it
     * @return its entries, absolute, each jar followed by those of its manifest's {@code Class-Path}, without
     *         duplicates
     */
    static List<String> expand(String classPath) {
        Set<Path> seen = new LinkedHashSet<>();
        for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
            if (!entry.isBlank()) {
                add(Path.of(entry).toAbsolutePath().normalize(), seen);
            }
        }
        return seen.stream().map(Path::toString).toList();
    }

    private static void add(Path entry, Set<Path> seen) {
        if (!seen.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        Manifest manifest;
        try (JarFile jar = new JarFile(entry.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            return; // not a jar: the JVM would skip it too
        }
        String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (classPath == null) {
            return;
        }
        URI base = entry.toUri();
        for (String relative : classPath.strip().split("\\s+")) {
            try {
                URI uri = base.resolve(relative);
                if ("file".equals(uri.getScheme())) {
                    Path p = Path.of(uri).normalize();
                    if (Files.exists(p)) {
                        add(p, seen);
                    }
                }
            } catch (IllegalArgumentException e) {
                // a malformed entry: the JVM ignores it as well
            }
        }
    }
}
