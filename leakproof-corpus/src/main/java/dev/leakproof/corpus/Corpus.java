package dev.leakproof.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The corpus: every class of {@code dev.leakproof.corpus.cases} (and of the held-out package) that carries an
 * {@link Expect}, found in this module's own jar or classes directory, so a new case needs no registration. A
 * package of cases can also be chosen by its last name ({@link #inPackage(String)}: {@code holdout2} for
 * {@code dev.leakproof.corpus.holdout2}), which is how held-out rounds are run apart from the corpus.
 */
public final class Corpus {
    /** The packages holding cases: the corpus, and the held-out set written blind to the engine (docs/corpus.md). */
    static final List<String> CASES_PACKAGES = List.of("dev.leakproof.corpus.cases", "dev.leakproof.corpus.holdout");
    /** Every package of this module that holds cases, where {@link #named(String)} looks for a simple name. */
    static final List<String> KNOWN_PACKAGES = List.of("dev.leakproof.corpus.cases", "dev.leakproof.corpus.holdout",
            "dev.leakproof.corpus.holdout2", "dev.leakproof.corpus.holdout3", "dev.leakproof.corpus.holdout4",
            "dev.leakproof.corpus.holdout5", "dev.leakproof.corpus.holdout6");
    private static final String PACKAGE_PREFIX = "dev.leakproof.corpus.";
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private Corpus() {
    }

    /**
     * A case and its truth.
     *
     * @param type   the case class
     * @param expect its truth
     */
    public record Case(Class<?> type, Expect expect) {
        /** @return the simple class name, which names the case */
        public String name() {
            return type.getSimpleName();
        }

        /** @return the class name the soak gets */
        public String className() {
            return type.getName();
        }
    }

    /**
     * @return every case, by name
     * @throws UncheckedIOException if this module's classes cannot be listed
     */
    public static List<Case> all() {
        return casesIn(CASES_PACKAGES);
    }

    /**
     * @param packageName the last name of a package of this module, such as {@code cases}, {@code holdout} or
     *                    {@code holdout2}
     * @return every case of {@code dev.leakproof.corpus.}<i>packageName</i>, by name
     * @throws IllegalArgumentException if the name is not a package name or the package holds no case
     * @throws UncheckedIOException     if this module's classes cannot be listed
     */
    public static List<Case> inPackage(String packageName) {
        if (packageName == null || !PACKAGE_NAME.matcher(packageName).matches()) {
            throw new IllegalArgumentException("package name '" + packageName + "' is not one lower-case name, such as "
                    + "'cases' or 'holdout2' (the part after " + PACKAGE_PREFIX + ")");
        }
        List<Case> cases = casesIn(List.of(PACKAGE_PREFIX + packageName));
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no corpus case (a class with @Expect) in package " + PACKAGE_PREFIX
                    + packageName + "; packages with cases: " + String.join(", ",
                    KNOWN_PACKAGES.stream().map(p -> p.substring(PACKAGE_PREFIX.length())).toList()));
        }
        return cases;
    }

    private static List<Case> casesIn(List<String> packages) {
        List<Case> cases = new ArrayList<>();
        for (String className : caseClassNames(packages)) {
            Class<?> c;
            try {
                c = Class.forName(className, false, Corpus.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("listed but not loadable: " + className, e);
            }
            Expect e = c.getAnnotation(Expect.class);
            if (e != null) {
                cases.add(new Case(c, e));
            }
        }
        cases.sort(Comparator.comparing(Case::name));
        return List.copyOf(cases);
    }

    /**
     * @param regex a regular expression found in the case's simple or full name; null or "" for all
     * @return the matching cases, by name
     */
    public static List<Case> matching(String regex) {
        return filter(all(), regex);
    }

    /**
     * @param regex       a regular expression found in the case's simple or full name; null or "" for all
     * @param packageName the last name of the package to list ({@link #inPackage(String)}); null for the corpus'
     *                    default packages ({@link #all()})
     * @return the matching cases of that package, by name
     * @throws IllegalArgumentException if the package name is not one or the package holds no case
     */
    public static List<Case> matching(String regex, String packageName) {
        return filter(packageName == null ? all() : inPackage(packageName), regex);
    }

    private static List<Case> filter(List<Case> cases, String regex) {
        if (regex == null || regex.isEmpty()) {
            return cases;
        }
        Pattern p = Pattern.compile(regex);
        return cases.stream().filter(c -> p.matcher(c.name()).find() || p.matcher(c.className()).find()).toList();
    }

    /**
     * @param name a case's simple or full class name, in any package of {@link #KNOWN_PACKAGES}
     * @return that case
     * @throws IllegalArgumentException if there is none
     */
    public static Case named(String name) {
        return casesIn(KNOWN_PACKAGES).stream().filter(c -> c.name().equals(name) || c.className().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no corpus case named '" + name + "'"));
    }

    private static List<String> caseClassNames(List<String> packages) {
        Path root;
        try {
            root = Path.of(Corpus.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the corpus classes", e);
        }
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(root)) {
                for (String pkg : packages) {
                    String dir = pkg.replace('.', '/');
                    names.addAll(list(root.resolve(dir), dir));
                }
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
                    for (String pkg : packages) {
                        String dir = pkg.replace('.', '/');
                        names.addAll(list(jar.getPath("/" + dir), dir));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus cases in " + root, e);
        }
        return List.copyOf(names);
    }

    private static List<String> list(Path dir, String packageDir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .map(n -> packageDir.replace('/', '.') + "." + n.substring(0, n.length() - ".class".length()))
                    .sorted().toList();
        }
    }
}
