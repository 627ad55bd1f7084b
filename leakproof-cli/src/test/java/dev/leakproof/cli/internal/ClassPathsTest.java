package dev.leakproof.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathsTest {
    @TempDir
    Path dir;

    private static Path jar(Path file, String classPath) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return file;
    }

    /** How a test runner starts a JVM: a jar holding only a manifest whose Class-Path lists everything. */
    @Test
    void aManifestOnlyJarIsExpandedIntoItsClassPathInOrder() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("with space/classes"));
        Path lib = jar(dir.resolve("lib/a.jar"), "b.jar");
        Path b = jar(dir.resolve("lib/b.jar"), null);
        Path booter = jar(dir.resolve("booter/booter.jar"),
                classes.toUri() + " " + lib.toUri() + " ../lib/b.jar missing.jar");
        assertEquals(List.of(booter.toString(), classes.toString(), lib.toString(), b.toString()),
                ClassPaths.expand(booter + File.pathSeparator + b));
    }

    @Test
    void userEntriesAreCheckedAsJavaReadsThemAndPassedOnUnchanged() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        jar(lib.resolve("x.jar"), null);
        String wildcard = lib + File.separator + "*";
        assertEquals(List.of(wildcard, lib.toString()),
                ClassPaths.checkUserClassPath(wildcard + File.pathSeparator + File.pathSeparator + lib));
        UsageException e = assertThrows(UsageException.class,
                () -> ClassPaths.checkUserClassPath(lib + File.pathSeparator + dir.resolve("nope")));
        assertTrue(e.getMessage().contains("'" + dir.resolve("nope") + "' does not exist"), e.getMessage());
    }
}
