package dev.leakproof.corpus.holdout6;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A frame decoder that stages each incoming frame in 96 bytes of native memory from JNA's {@link Native#malloc}
 * (the buffer a C parser would be handed) and frees it with {@link Native#free} when the frame is done. One frame in
 * 16 fails validation, and that branch returns early, before the {@code free}: 96 bytes of malloc'd memory are lost
 * every 16 iterations, for ever. Nothing on the Java heap holds them (JNA's {@code malloc} hands back a bare
 * address), so no collector or cleaner can give them back: a small native leak. First written as 6 bytes per
 * iteration (the 96 bytes asked); glibc's in-use bytes grew by 7.1–8.2 per iteration in each measured interval,
 * a 112-byte chunk per lost frame, so the truth is 7.
 */
@Expect(verdict = Truth.LEAK, probe = "native-libs", perIteration = 7, culprit = "malloc|jna|jnidispatch",
        userFrame = "JnaMallocSkippedOnRejectedFrame", library = "JNA", flags = "--native-culprits",
        summary = "96 B from JNA Native.malloc per frame, freed except on the early return of 1 frame in 16")
public final class JnaMallocSkippedOnRejectedFrame implements Runnable {
    private final Grind grind = new Grind();
    private long calls;
    private long rejected;
    private long checksum;

    /** Nothing staged yet. */
    public JnaMallocSkippedOnRejectedFrame() {
    }

    @Override
    public void run() {
        grind.once();
        long address = Native.malloc(96);
        if (address == 0) {
            throw new OutOfMemoryError("malloc(96) returned NULL");
        }
        Pointer frame = new Pointer(address);
        frame.setLong(0, calls);
        frame.setLong(88, grind.sink());
        if (calls++ % 16 == 15) {
            rejected++;
            return; // a bad frame: the early return skips the free below
        }
        checksum += frame.getLong(0) ^ frame.getLong(88);
        Native.free(address);
    }
}
