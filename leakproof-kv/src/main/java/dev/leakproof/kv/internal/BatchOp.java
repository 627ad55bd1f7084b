package dev.leakproof.kv.internal;

import java.util.Objects;

/**
 * One write of a {@link dev.leakproof.kv.WriteBatch}, described without running it; each backend runs it its
 * own way ({@link Backend#batch(java.util.List)}).
 *
 * @param kind    what write
 * @param alias   the entry's alias
 * @param type    the entry type for {@link Kind#WRITE}
 * @param payload the payload of a write, the element of a push or insert, or null
 * @param expiry  the expiry of a write
 * @param flag    {@code mustBeNew} of a write, {@code front} of a push
 * @param delta   the delta of an add
 */
public record BatchOp(Kind kind, String alias, byte type, byte[] payload, long expiry, boolean flag, long delta) {
    /** The kinds of batched write. */
    public enum Kind { WRITE, ADD, PUSH, SET_INSERT, REMOVE }

    /** @throws NullPointerException if {@code kind} or {@code alias} is null */
    public BatchOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alias, "alias");
    }

    /** @return a put ({@code mustBeNew}) or update of a blob or integer */
    public static BatchOp write(String alias, byte type, byte[] payload, long expiry, boolean mustBeNew) {
        return new BatchOp(Kind.WRITE, alias, type, payload, expiry, mustBeNew, 0);
    }

    /** @return an add to an integer */
    public static BatchOp add(String alias, long delta) {
        return new BatchOp(Kind.ADD, alias, (byte) 0, null, 0, false, delta);
    }

    /** @return a push to a deque */
    public static BatchOp push(String alias, byte[] element, boolean front) {
        return new BatchOp(Kind.PUSH, alias, (byte) 0, element, 0, front, 0);
    }

    /** @return an insert into a set */
    public static BatchOp setInsert(String alias, byte[] element) {
        return new BatchOp(Kind.SET_INSERT, alias, (byte) 0, element, 0, false, 0);
    }

    /** @return the removal of an entry of any type */
    public static BatchOp remove(String alias) {
        return new BatchOp(Kind.REMOVE, alias, (byte) 0, null, 0, false, 0);
    }
}
