package dev.leakproof.corpus.holdout6;

import com.sun.jna.Memory;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A message encoder that stages every fourth message in a 512-byte JNA {@link Memory} block (native, malloc'd by
 * JNA), fills and checks it, and drops it without {@code close()}. Since JNA 5.12 each {@code Memory} registers
 * itself with JNA's own cleaner, whose thread ("JNA Cleaner") starts with the first block and frees the native memory
 * once the collector finds the block unreachable. About 128 bytes of native memory per iteration become garbage, and
 * each iteration also makes a 1 KiB response on the heap, so young collections come often and the cleaner keeps up:
 * native memory moves up and down with the collections, bounded, and one thread starts lazily: no leak.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "native-libs", library = "JNA",
        summary = "a 512 B JNA Memory every 4 iterations dropped without close(); JNA's cleaner frees it after a GC")
public final class JnaMemoryDroppedUnclosed implements Runnable {
    private final Grind grind = new Grind();
    private long calls;
    private long checksum;

    /** Nothing staged yet. */
    public JnaMemoryDroppedUnclosed() {
    }

    @Override
    public void run() {
        grind.once();
        byte[] response = new byte[1024]; // the reply as built; garbage after the call
        response[(int) (calls & 1023)] = (byte) calls;
        checksum += response[0];
        if (calls++ % 4 == 0) {
            Memory staged = new Memory(512);
            staged.setLong(0, calls);
            staged.setLong(504, grind.sink());
            checksum += staged.getLong(0) ^ staged.getLong(504);
        }
    }
}
