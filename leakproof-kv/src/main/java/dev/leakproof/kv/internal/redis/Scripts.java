package dev.leakproof.kv.internal.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis backend: one per operation, each run atomically on the one slot that holds all
 * keys of an entry ({@code KEYS[1..4]}: the entry hash, its list, its set, its tag hash; see
 * {@link RedisBackend}). A script reports a data-model error as {@code LPKV <CODE> [detail]}, which the backend
 * turns into the typed exception with the same code as on RocksDB.
 */
final class Scripts {
    /** A script with its SHA-1, sent with EVALSHA and, on NOSCRIPT, with EVAL (which caches it). */
    record Script(String name, byte[] text, byte[] sha) {
    }

    private static final String PRELUDE = """
            local E, Q, S, A = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
            local function fail(code, detail) return {err = 'LPKV ' .. code .. ' ' .. (detail or '')} end
            local function expire_all(x)
              for _, k in ipairs({E, Q, S, A}) do
                if x == '0' then redis.call('PERSIST', k) else redis.call('PEXPIREAT', k, x) end
              end
            end
            local function follow(k)
              local x = redis.call('HGET', E, 'x')
              if x and x ~= '0' then redis.call('PEXPIREAT', k, x) end
            end
            local function existing(want)
              local t = redis.call('HGET', E, 't')
              if not t then return nil, fail('NOTFOUND') end
              if want ~= '0' and t ~= want then return nil, fail('TYPE', t) end
              return t
            end
            """;

    static final Script WRITE = entry("write", """
            local t = redis.call('HGET', E, 't')
            if t then
              if ARGV[4] == '1' then return fail('EXISTS', t) end
              if t ~= ARGV[1] then return fail('TYPE', t) end
            end
            local x = ARGV[3]
            if x == '-1' then x = (t and redis.call('HGET', E, 'x')) or '0' end
            redis.call('HSET', E, 't', ARGV[1], 'x', x, 'v', ARGV[2])
            expire_all(x)
            return 1
            """);
    static final Script SET_EXPIRY = entry("set-expiry", """
            local t, e = existing(ARGV[1]) if not t then return e end
            redis.call('HSET', E, 'x', ARGV[2])
            expire_all(ARGV[2])
            return 1
            """);
    static final Script ADD = entry("add", """
            local t, e = existing('2') if not t then return e end
            redis.call('HINCRBY', E, 'v', ARGV[1])
            -- as text: Lua's numbers are doubles, which would round a 64-bit result
            return redis.call('HGET', E, 'v')
            """);
    static final Script REMOVE = entry("remove", """
            local t, e = existing(ARGV[1]) if not t then return e end
            local tags = redis.call('HGETALL', A)
            redis.call('DEL', E, Q, S, A)
            return tags
            """);
    static final Script PUSH = entry("push", """
            local t = redis.call('HGET', E, 't')
            if t and t ~= '3' then return fail('TYPE', t) end
            if not t then redis.call('HSET', E, 't', '3', 'x', '0') end
            local n
            if ARGV[2] == '1' then n = redis.call('LPUSH', Q, ARGV[1]) else n = redis.call('RPUSH', Q, ARGV[1]) end
            follow(Q)
            return n
            """);
    static final Script POP = entry("pop", """
            local t, e = existing('3') if not t then return e end
            local v
            if ARGV[1] == '1' then v = redis.call('LPOP', Q) else v = redis.call('RPOP', Q) end
            if not v then return fail('EMPTY') end
            return v
            """);
    static final Script DEQUE_END = entry("deque-end", """
            local t, e = existing('3') if not t then return e end
            local v = redis.call('LINDEX', Q, ARGV[1] == '1' and 0 or -1)
            if not v then return fail('EMPTY') end
            return v
            """);
    static final Script DEQUE_GET = entry("deque-get", """
            local t, e = existing('3') if not t then return e end
            local n = redis.call('LLEN', Q)
            if tonumber(ARGV[1]) >= n then return fail('RANGE', n) end
            return redis.call('LINDEX', Q, ARGV[1])
            """);
    static final Script DEQUE_SET = entry("deque-set", """
            local t, e = existing('3') if not t then return e end
            local n = redis.call('LLEN', Q)
            if tonumber(ARGV[1]) >= n then return fail('RANGE', n) end
            redis.call('LSET', Q, ARGV[1], ARGV[2])
            return 1
            """);
    static final Script DEQUE_SIZE = entry("deque-size", """
            local t, e = existing('3') if not t then return e end
            return redis.call('LLEN', Q)
            """);
    static final Script DEQUE_ELEMENTS = entry("deque-elements", """
            local t, e = existing('3') if not t then return e end
            return redis.call('LRANGE', Q, 0, -1)
            """);
    static final Script SET_INSERT = entry("set-insert", """
            local t = redis.call('HGET', E, 't')
            if t and t ~= '4' then return fail('TYPE', t) end
            if not t then redis.call('HSET', E, 't', '4', 'x', '0') end
            if redis.call('SADD', S, ARGV[1]) == 0 then return fail('ELEM_EXISTS') end
            follow(S)
            return 1
            """);
    static final Script SET_ERASE = entry("set-erase", """
            local t, e = existing('4') if not t then return e end
            if redis.call('SREM', S, ARGV[1]) == 0 then return fail('ELEM_NOTFOUND') end
            return 1
            """);
    static final Script SET_CONTAINS = entry("set-contains", """
            local t, e = existing('4') if not t then return e end
            return redis.call('SISMEMBER', S, ARGV[1])
            """);
    static final Script SET_SIZE = entry("set-size", """
            local t, e = existing('4') if not t then return e end
            return redis.call('SCARD', S)
            """);
    static final Script SET_MEMBERS = entry("set-members", """
            local t, e = existing('4') if not t then return e end
            return redis.call('SMEMBERS', S)
            """);
    static final Script TAG_ATTACH = entry("tag-attach", """
            local t, e = existing(ARGV[1])
            if not t then
              -- a type mismatch on an entry that already carries the tag: the index member was just rewritten with
              -- this attach's generation, so the entry takes it too, and the caller (which finds it carried) keeps
              -- the member instead of removing it
              if redis.call('HEXISTS', A, ARGV[2]) == 1 then redis.call('HSET', A, ARGV[2], ARGV[3]) end
              return e
            end
            -- already set: the index member was just rewritten with this attach's generation, so the entry takes
            -- it too, or a later detach (which removes the member only at the entry's generation) would leave it
            if redis.call('HEXISTS', A, ARGV[2]) == 1 then
              redis.call('HSET', A, ARGV[2], ARGV[3])
              return fail('TAG_SET')
            end
            redis.call('HSET', A, ARGV[2], ARGV[3])
            follow(A)
            return 1
            """);
    static final Script TAG_DETACH = entry("tag-detach", """
            local t, e = existing(ARGV[1]) if not t then return e end
            local g = redis.call('HGET', A, ARGV[2])
            if not g then return fail('TAG_NOTSET') end
            redis.call('HDEL', A, ARGV[2])
            return g
            """);
    static final Script HAS_TAG = entry("has-tag", """
            local t, e = existing(ARGV[1]) if not t then return e end
            return redis.call('HEXISTS', A, ARGV[2])
            """);
    static final Script TAGS = entry("tags", """
            local t, e = existing(ARGV[1]) if not t then return e end
            return redis.call('HKEYS', A)
            """);
    static final Script CAS = entry("compare-and-swap", """
            local t, e = existing(ARGV[1]) if not t then return e end
            if redis.call('HGET', E, 'v') ~= ARGV[2] then return 0 end
            redis.call('HSET', E, 'v', ARGV[3])
            return 1
            """);
    /** The generation of the entry's link to tag ARGV[1] when the entry is live and carries it, else nil. */
    static final Script CARRIES = entry("carries", """
            if redis.call('EXISTS', E) == 0 then return false end
            return redis.call('HGET', A, ARGV[1])
            """);
    /** On a tag's index (KEYS[1]): removes alias ARGV[1] only if its link generation is still ARGV[2]. */
    static final Script INDEX_REMOVE_IF = script("index-remove-if", """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 0
            """);
    /**
     * A batch on one slot: KEYS are 4 per write, ARGV[1] the number of writes, then 5 per write (kind, type,
     * payload, expiry, flag). A first pass checks every write against the state the earlier ones leave (Redis
     * does not roll a script back, so nothing is written unless all pass); the second applies them.
     */
    static final Script BATCH = script("batch", """
            local n = tonumber(ARGV[1])
            local st = {}
            local function state(i)
              local e = KEYS[(i - 1) * 4 + 1]
              local s = st[e]
              if not s then
                s = {t = redis.call('HGET', e, 't'), fresh = false, ins = {}}
                st[e] = s
              end
              return s
            end
            local function fail(code, detail, i) return {err = 'LPKV ' .. code .. ' ' .. detail .. ' @' .. i} end
            for i = 1, n do
              local b = 1 + (i - 1) * 5
              local kind, typ, p, flag = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 5]
              local s = state(i)
              if kind == 'W' then
                if s.t then
                  if flag == '1' then return fail('EXISTS', s.t, i) end
                  if s.t ~= typ then return fail('TYPE', s.t, i) end
                end
                s.t = typ
              elseif kind == 'A' then
                if not s.t then return fail('NOTFOUND', '_', i) end
                if s.t ~= '2' then return fail('TYPE', s.t, i) end
              elseif kind == 'P' then
                if s.t and s.t ~= '3' then return fail('TYPE', s.t, i) end
                s.t = '3'
              elseif kind == 'I' then
                if s.t and s.t ~= '4' then return fail('TYPE', s.t, i) end
                if s.ins[p] or (s.t == '4' and not s.fresh
                    and redis.call('SISMEMBER', KEYS[(i - 1) * 4 + 3], p) == 1) then
                  return fail('ELEM_EXISTS', '_', i)
                end
                s.t = '4'
                s.ins[p] = true
              elseif kind == 'R' then
                if not s.t then return fail('NOTFOUND', '_', i) end
                s.t = false
                s.fresh = true
                s.ins = {}
              end
            end
            local removed = {}
            for i = 1, n do
              local b = 1 + (i - 1) * 5
              local kind, typ, p, x, flag = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], ARGV[b + 5]
              local k = (i - 1) * 4
              local E, Q, S, A = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
              local function follow(key)
                local ex = redis.call('HGET', E, 'x')
                if ex and ex ~= '0' then redis.call('PEXPIREAT', key, ex) end
              end
              if kind == 'W' then
                redis.call('HSET', E, 't', typ, 'x', x, 'v', p)
                for _, key in ipairs({E, Q, S, A}) do
                  if x == '0' then redis.call('PERSIST', key) else redis.call('PEXPIREAT', key, x) end
                end
              elseif kind == 'A' then
                redis.call('HINCRBY', E, 'v', p)
              elseif kind == 'P' then
                if redis.call('EXISTS', E) == 0 then redis.call('HSET', E, 't', '3', 'x', '0') end
                if flag == '1' then redis.call('LPUSH', Q, p) else redis.call('RPUSH', Q, p) end
                follow(Q)
              elseif kind == 'I' then
                if redis.call('EXISTS', E) == 0 then redis.call('HSET', E, 't', '4', 'x', '0') end
                redis.call('SADD', S, p)
                follow(S)
              elseif kind == 'R' then
                local tags = redis.call('HGETALL', A)
                for j = 1, #tags, 2 do
                  table.insert(removed, tostring(i))
                  table.insert(removed, tags[j])
                  table.insert(removed, tags[j + 1])
                end
                redis.call('DEL', E, Q, S, A)
              end
            end
            return removed
            """);

    private Scripts() {
    }

    private static Script entry(String name, String body) {
        return script(name, PRELUDE + body);
    }

    private static Script script(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(bytes);
            return new Script(name, bytes, HexFormat.of().formatHex(sha).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
