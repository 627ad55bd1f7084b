package dev.leakproof.kv.internal.redis;

import dev.leakproof.core.ResourceKind;
import dev.leakproof.core.Tracking;

/** The kinds of hiredis object the Redis backend tracks: one constant each, named as reports and JSON show them. */
final class RedisKinds {
    static final ResourceKind CONTEXT = Tracking.kind("hiredis-context", "redisContext of one connection to a Redis node, freed by redisFree");
    static final ResourceKind REPLY = Tracking.kind("hiredis-reply", "redisReply tree returned by hiredis, freed by freeReplyObject");

    private RedisKinds() {
    }
}
