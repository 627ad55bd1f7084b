package dev.leakproof.kv.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Finds RocksDB's native library inside the {@code org.rocksdb:rocksdbjni} jar, extracts it once into a
 * per-user cache directory named by the file's SHA-256, and loads it for the life of the process. The hash is
 * taken as the library streams out of the jar, so a start that finds it cached reads it once and writes nothing.
 *
 * <p>Extraction is safe when several processes start at once: each writes a private temporary file in the
 * target directory and moves it into place atomically; the loser of the race uses the winner's file,
 * which has the same content. The library is loaded with {@link Arena#global()}: unloading it while
 * RocksDB's background threads run would crash the process. Only its C API is used; rocksdbjni's Java
 * classes are never loaded, so {@code JNI_OnLoad} never runs.
 *
 * <p>The cache directory is {@code $LEAKPROOF_CACHE} if set, else {@code $XDG_CACHE_HOME/leakproof}, else
 * {@code ~/.cache/leakproof}.
 */
@SuppressWarnings("restricted") // loading the library is a restricted call by nature
public final class NativeLibrary {
    /** Resource names inside rocksdbjni 9.x, by "os/arch" (arch as {@code os.arch} reports it). */
    private static final Map<String, String> RESOURCES = Map.ofEntries(
            Map.entry("linux/amd64", "librocksdbjni-linux64.so"),
            Map.entry("linux/x86_64", "librocksdbjni-linux64.so"),
            Map.entry("linux/aarch64", "librocksdbjni-linux-aarch64.so"),
            Map.entry("linux/ppc64le", "librocksdbjni-linux-ppc64le.so"),
            Map.entry("linux/s390x", "librocksdbjni-linux-s390x.so"),
            Map.entry("linux/riscv64", "librocksdbjni-linux-riscv64.so"),
            Map.entry("mac/aarch64", "librocksdbjni-osx-arm64.jnilib"),
            Map.entry("mac/x86_64", "librocksdbjni-osx-x86_64.jnilib"),
            Map.entry("mac/amd64", "librocksdbjni-osx-x86_64.jnilib"),
            Map.entry("windows/amd64", "librocksdbjni-win64.dll"));

    private static volatile SymbolLookup lookup;
    private static volatile Path loadedFrom;

    private NativeLibrary() {
    }

    /**
     * @return the symbols of RocksDB's library, loading it on first use
     * @throws UnsupportedOperationException if rocksdbjni has no build for this platform
     * @throws UncheckedIOException          if the library cannot be extracted
     */
    public static SymbolLookup lookup() {
        SymbolLookup l = lookup;
        if (l == null) {
            synchronized (NativeLibrary.class) {
                l = lookup;
                if (l == null) {
                    Path file = extract(resourceFor(System.getProperty("os.name"), System.getProperty("os.arch"),
                            isMusl()));
                    l = SymbolLookup.libraryLookup(file, Arena.global());
                    loadedFrom = file;
                    lookup = l;
                }
            }
        }
        return l;
    }

    /** @return the file the library was loaded from, or null before the first {@link #lookup()} */
    public static Path loadedFrom() {
        return loadedFrom;
    }

    /**
     * @param osName {@code os.name}
     * @param arch   {@code os.arch}
     * @param musl   whether the C library is musl (Alpine)
     * @return the resource name of the matching library
     * @throws UnsupportedOperationException naming the platform and the ones that exist
     */
    static String resourceFor(String osName, String arch, boolean musl) {
        String os = osName.toLowerCase(Locale.ROOT);
        String family = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "mac"
                : os.startsWith("windows") ? "windows" : os;
        String name = RESOURCES.get(family + "/" + arch.toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new UnsupportedOperationException("RocksDB's native library (org.rocksdb:rocksdbjni) has no build for "
                    + osName + " on " + arch + "; it ships builds for linux x86_64, aarch64, ppc64le, s390x and "
                    + "riscv64 (glibc; x86_64, aarch64, ppc64le and s390x also for musl), macOS x86_64 and arm64, "
                    + "and Windows x86_64");
        }
        if (musl && family.equals("linux")) {
            if (name.equals("librocksdbjni-linux-riscv64.so")) {
                throw new UnsupportedOperationException("rocksdbjni has no musl build for riscv64; it has musl "
                        + "builds for x86_64, aarch64, ppc64le and s390x");
            }
            name = name.replace(".so", "-musl.so");
        }
        return name;
    }

    private static boolean isMusl() {
        try (var dir = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            return dir.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static Path cacheRoot() {
        String explicit = System.getenv("LEAKPROOF_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("leakproof");
    }

    private static Path extract(String resource) {
        return extract(NativeLibrary.class.getClassLoader(), resource, cacheRoot().resolve("rocksdb"));
    }

    /**
     * Extracts {@code resource} into {@code root/<hash>/}, unless it is there already.
     *
     * @return the extracted file
     * @throws UnsupportedOperationException if {@code loader} has no such resource
     * @throws UncheckedIOException          if it cannot be read or written
     */
    static Path extract(ClassLoader loader, String resource, Path root) {
        if (loader.getResource(resource) == null) {
            throw new UnsupportedOperationException("RocksDB's native library " + resource + " is not on the class "
                    + "path: add org.rocksdb:rocksdbjni (the jar that ships it) to the runtime class path");
        }
        try {
            // the name comes from hashing the library as it streams out of the jar, written nowhere: a start
            // that finds it cached writes nothing
            Digested first = digest(loader, resource, OutputStream.nullOutputStream());
            Path dir = root.resolve(first.hash());
            Path target = dir.resolve(resource);
            if (Files.isRegularFile(target) && Files.size(target) == first.size()) {
                return target;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "extract-", ".tmp");
            try {
                Digested copied;
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    copied = digest(loader, resource, out);
                }
                if (!copied.hash().equals(first.hash())) {
                    throw new IOException("the library " + resource + " changed while it was extracted (SHA-256 "
                            + first.hash() + "…, then " + copied.hash() + "…): the class path changed under a "
                            + "running process");
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    if (!Files.isRegularFile(target)) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return target;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract RocksDB's native library " + resource + " to "
                    + root + ": set LEAKPROOF_CACHE to a writable directory", e);
        }
    }

    /** What one read of the library gave: the first 16 hex digits of its SHA-256, and its size. */
    private record Digested(String hash, long size) {
    }

    /** Streams the resource into {@code out}, hashing it on the way. */
    private static Digested digest(ClassLoader loader, String resource, OutputStream out) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        InputStream raw = loader.getResourceAsStream(resource);
        if (raw == null) {
            throw new IOException("the resource " + resource + " disappeared from the class path");
        }
        long size;
        try (InputStream in = new DigestInputStream(raw, sha)) {
            size = in.transferTo(out);
        }
        return new Digested(HexFormat.of().formatHex(sha.digest()).substring(0, 16), size);
    }
}
