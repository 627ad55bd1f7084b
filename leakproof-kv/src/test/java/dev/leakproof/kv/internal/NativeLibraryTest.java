package dev.leakproof.kv.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {
    @Test
    void picksTheLibraryForThePlatform() {
        assertEquals("librocksdbjni-linux64.so", NativeLibrary.resourceFor("Linux", "amd64", false));
        assertEquals("librocksdbjni-linux64-musl.so", NativeLibrary.resourceFor("Linux", "amd64", true));
        assertEquals("librocksdbjni-linux-aarch64.so", NativeLibrary.resourceFor("Linux", "aarch64", false));
        assertEquals("librocksdbjni-osx-arm64.jnilib", NativeLibrary.resourceFor("Mac OS X", "aarch64", false));
        assertEquals("librocksdbjni-win64.dll", NativeLibrary.resourceFor("Windows 11", "amd64", false));
    }

    @Test
    void anUnsupportedPlatformIsNamedWithTheOnesThatExist() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> NativeLibrary.resourceFor("FreeBSD", "amd64", false));
        assertTrue(e.getMessage().contains("FreeBSD on amd64"), e.getMessage());
        assertTrue(e.getMessage().contains("linux x86_64"), e.getMessage());
    }

    private static final String RESOURCE = NativeLibrary.resourceFor(System.getProperty("os.name"),
            System.getProperty("os.arch"), false);

    @Test
    void aCachedLibraryIsFoundByItsHashAndNothingIsWritten(@TempDir Path root) throws Exception {
        ClassLoader loader = NativeLibrary.class.getClassLoader();
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            bytes = in.readAllBytes();
        }
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);

        Path first = NativeLibrary.extract(loader, RESOURCE, root);
        assertEquals(root.resolve(hash).resolve(RESOURCE), first);
        assertArrayEquals(bytes, Files.readAllBytes(first));

        FileTime stamp = FileTime.fromMillis(0);
        Files.setLastModifiedTime(first, stamp); // rewritten, the file would get the time of now
        Path again = NativeLibrary.extract(loader, RESOURCE, root);
        assertEquals(first, again);
        assertEquals(stamp, Files.getLastModifiedTime(again), "a cached library is not written again");
        try (var files = Files.list(first.getParent())) {
            assertEquals(List.of(first), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void aTruncatedCachedLibraryIsReplaced(@TempDir Path root) throws Exception {
        ClassLoader loader = NativeLibrary.class.getClassLoader();
        Path first = NativeLibrary.extract(loader, RESOURCE, root);
        long size = Files.size(first);
        Files.write(first, new byte[] {1, 2, 3});
        Path again = NativeLibrary.extract(loader, RESOURCE, root);
        assertEquals(first, again);
        assertEquals(size, Files.size(again));
    }

    @Test
    void theLibraryIsExtractedIntoADirectoryNamedByItsHash() {
        NativeLibrary.lookup();
        var file = NativeLibrary.loadedFrom();
        assertTrue(Files.isRegularFile(file), String.valueOf(file));
        assertTrue(file.getParent().getFileName().toString().matches("[0-9a-f]{16}"), file.toString());
    }
}
