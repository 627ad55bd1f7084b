package dev.leakproof.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

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

    @Test
    void theLibraryIsExtractedIntoADirectoryNamedByItsHash() {
        NativeLibrary.lookup();
        var file = NativeLibrary.loadedFrom();
        assertTrue(Files.isRegularFile(file), String.valueOf(file));
        assertTrue(file.getParent().getFileName().toString().matches("[0-9a-f]{16}"), file.toString());
    }
}
