package dev.leakproof.corpus.cases;

/**
 * A cached response as the cache cases store it: an id and a 64-byte body.
 *
 * @param requestId the request it answers
 * @param body      its bytes
 */
record CachedResponse(long requestId, byte[] body) {
    static CachedResponse of(long requestId) {
        byte[] body = new byte[64];
        body[0] = (byte) requestId;
        return new CachedResponse(requestId, body);
    }
}
