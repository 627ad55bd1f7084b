package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * Compresses a 64 KiB message with lz4-java's fastest compressor (the JNI one where it loads) into a new array and
 * decompresses it into another, on every iteration: about 130 KB of garbage per iteration, nothing kept, no
 * native state per call: not a leak.
 */
@Expect(verdict = Truth.NO_LEAK, library = "lz4-java", summary = "lz4 compress + decompress of 64 KiB per iteration into new arrays")
public final class Lz4CompressGarbage implements Runnable {
    private final LZ4Factory factory = LZ4Factory.fastestInstance();
    private final LZ4Compressor compressor = factory.fastCompressor();
    private final LZ4FastDecompressor decompressor = factory.fastDecompressor();
    private final byte[] message = Messages.text(64 * 1024);
    private long sink;

    /** Creates the case. */
    public Lz4CompressGarbage() {
    }

    @Override
    public void run() {
        byte[] compressed = compressor.compress(message);
        byte[] restored = decompressor.decompress(compressed, message.length);
        sink += compressed.length + restored[restored.length - 1];
    }
}
