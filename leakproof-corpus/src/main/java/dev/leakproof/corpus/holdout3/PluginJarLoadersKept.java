package dev.leakproof.corpus.holdout3;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A host that hot-reloads a plugin: every 500 iterations a new plugin version is written as its own jar
 * ({@code plugin-vN.jar}) and loaded by a new {@link URLClassLoader} (parent: the boot loader), and the host keeps
 * every loader in its registry "for rollback", never closing one. A {@code URLClassLoader} opens its jar when it
 * first loads a class from it and keeps the {@code JarFile} open until {@code close()}: one descriptor per
 * version, 1 per 500 iterations, 0.002 per iteration, never closed — a descriptor leak through a class loader
 * (each version also keeps its loader, its one class and the jar's metadata on the heap). Each iteration calls
 * the newest plugin.
 */
@Expect(verdict = Truth.LEAK, probe = "fds", perIteration = 1.0 / 500,
        culprit = "plugin-v\\d+\\.jar|\\.jar|JarFile|URLClassLoader", userFrame = "PluginJarLoadersKept",
        summary = "a URLClassLoader over a new plugin jar every 500 iterations, all kept open for rollback")
public final class PluginJarLoadersKept implements Runnable, AutoCloseable {
    private static final String BODY = PluginBody.class.getName();
    private final Grind grind = new Grind();
    private final byte[] bodyClass;
    private final Path dir;
    private final List<URLClassLoader> registry = new ArrayList<>();
    private LongUnaryOperator current;
    private long calls;
    private long acc;

    /**
     * Reads the plugin's class file and makes the directory its jars go to.
     *
     * @throws IOException if either fails
     */
    public PluginJarLoadersKept() throws IOException {
        try (InputStream in = PluginBody.class.getResourceAsStream(PluginBody.class.getSimpleName() + ".class")) {
            if (in == null) {
                throw new IOException("class file of " + BODY + " not found on the class path");
            }
            bodyClass = in.readAllBytes();
        }
        dir = Files.createTempDirectory("holdout3-plugins-");
    }

    @Override
    public void run() {
        grind.once();
        if (calls % 500 == 0) {
            current = load(calls / 500);
        }
        calls++;
        acc += current.applyAsLong(calls);
    }

    private LongUnaryOperator load(long version) {
        try {
            Path jar = dir.resolve("plugin-v" + version + ".jar");
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
                out.putNextEntry(new JarEntry(BODY.replace('.', '/') + ".class"));
                out.write(bodyClass);
                out.closeEntry();
            }
            URLClassLoader loader = new URLClassLoader("plugin-v" + version, new URL[] {jar.toUri().toURL()}, null);
            registry.add(loader);
            return (LongUnaryOperator) loader.loadClass(BODY).getDeclaredConstructor().newInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("plugin v" + version + " did not load", e);
        }
    }

    @Override
    public void close() throws IOException {
        for (URLClassLoader loader : registry) {
            loader.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
