package dev.leakproof.kv;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a child JVM by the tests: holds an fcntl lock on a RocksDB {@code LOCK} file, as another process with
 * the database open does, until its standard input closes.
 */
public final class LockHolder {
    private LockHolder() {
    }

    /** @param args the LOCK file @throws IOException if it cannot be locked */
    public static void main(String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE, StandardOpenOption.CREATE);
             FileLock lock = ch.lock()) {
            System.out.println("locked " + lock.isValid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our input
            }
        }
    }
}
