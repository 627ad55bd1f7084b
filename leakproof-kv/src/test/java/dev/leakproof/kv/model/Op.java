package dev.leakproof.kv.model;

/**
 * One generated operation of the model-based test: what to call, on which alias, with which arguments, and
 * whether through the blocking or the {@code …Async} form. A flat record, so the shrinker
 * ({@link Programs#smaller}) simplifies each field on its own.
 *
 * @param kind  the operation
 * @param alias the alias it acts on (tag operations: the alias of the entry)
 * @param value a value, element or tag name, depending on the kind
 * @param n     a number: an integer, a delta, a deque index, an entry type for tags, or a duration in seconds
 * @param async use the {@code …Async} form (and join it)
 */
public record Op(Kind kind, String alias, String value, long n, boolean async) {

    /** The operations. */
    public enum Kind {
        BLOB_PUT, BLOB_PUT_EXPIRING, BLOB_UPDATE, BLOB_GET, BLOB_CAS, BLOB_EXPIRE_FROM_NOW, BLOB_GET_EXPIRY,
        INT_PUT, INT_UPDATE, INT_ADD, INT_GET, INT_EXPIRE_FROM_NOW,
        PUSH_BACK, PUSH_FRONT, POP_FRONT, POP_BACK, DEQUE_SIZE, DEQUE_GET_AT, DEQUE_ELEMENTS,
        SET_INSERT, SET_ERASE, SET_CONTAINS, SET_SIZE, SET_MEMBERS,
        REMOVE, ATTACH_TAG, DETACH_TAG, HAS_TAG, GET_TAGS, TAG_ENTRIES, EXISTS, TYPE,
        /** Moves the injected clock forward (single-thread runs only). */
        ADVANCE_CLOCK,
        /** Closes the cluster, checks a call fails closed, and opens it again (single-thread runs only). */
        REOPEN,
        /** Adds {@code n} to the integer every thread shares (multi-thread runs only). */
        SHARED_ADD,
        /** Inserts {@code value} into the set every thread shares (multi-thread runs only). */
        SHARED_INSERT
    }

    @Override
    public String toString() {
        return kind + "(" + alias + ", '" + value + "', " + n + (async ? ", async" : "") + ")";
    }
}
