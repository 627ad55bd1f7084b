package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A thumbnail cache that holds its 1 KiB images through {@link SoftReference}s in a map keyed by image id, over a
 * catalogue of 6,000 images requested in turn, a new one every 4 iterations: the map gains one entry per 4 calls
 * until all 6,000 are cached at call 24,000, and from then on every request is a hit. Without memory pressure the
 * collector clears none of the soft references (each is touched every 24,000 calls, a few seconds, far within
 * the JDK's soft-reference lifetime for a mostly free heap), so heap rises to ~7 MB and stays there: bounded by
 * the id space, not a leak. Each iteration does 5 rounds of work (~100 µs) so the end of the fill lands near the
 * middle of a 50,000-iteration first pass.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "SoftReference thumbnail cache over 6,000 ids, a new id per 4 calls: full at call 24,000, then hits")
public final class SoftThumbnailCacheBounded implements Runnable {
    private static final int IMAGES = 6_000;
    private final Toil toil = new Toil();
    private final Map<Integer, SoftReference<byte[]>> thumbnails = new HashMap<>();
    private long calls;
    private long hits;
    private long bytes;

    /** Starts empty. */
    public SoftThumbnailCacheBounded() {
    }

    @Override
    public void run() {
        toil.requests(5);
        int id = (int) (calls++ / 4 % IMAGES);
        SoftReference<byte[]> ref = thumbnails.get(id);
        byte[] image = ref == null ? null : ref.get();
        if (image == null) {
            image = new byte[1024];
            image[0] = (byte) id;
            thumbnails.put(id, new SoftReference<>(image));
        } else {
            hits++;
        }
        bytes += image.length;
    }
}
