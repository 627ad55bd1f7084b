package dev.leakproof.kv.model;

import dev.leakproof.kv.AliasAlreadyExistsException;
import dev.leakproof.kv.AliasNotFoundException;
import dev.leakproof.kv.ElementAlreadyExistsException;
import dev.leakproof.kv.ElementNotFoundException;
import dev.leakproof.kv.EmptyContainerException;
import dev.leakproof.kv.IncompatibleTypeException;
import dev.leakproof.kv.OutOfRangeException;
import dev.leakproof.kv.TagAlreadySetException;
import dev.leakproof.kv.TagNotSetException;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data model of docs/kv.md in a few maps, as plainly as it can be written: what every backend must do.
 * Outcomes are plain values ({@code String} for bytes, {@code Long}, {@code Boolean}, lists) or the simple name
 * of the exception class prefixed with {@code !}. Names and values in the tests are ASCII, so {@code String}
 * order is UTF-8 byte order.
 */
public final class Model {
    /** Entry types, numbered as the model's snapshot shows them. */
    enum Type { BLOB, INTEGER, DEQUE, SET }

    static final class Entry {
        final Type type;
        String blob;
        long number;
        long expiry; // 0: never
        final LinkedList<String> deque = new LinkedList<>();
        final TreeSet<String> set = new TreeSet<>();
        final TreeSet<String> tags = new TreeSet<>();

        Entry(Type type) {
            this.type = type;
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final boolean addWraps;

    /**
     * @param addWraps whether {@code add} past the 64-bit range wraps like {@code int64_t} (docs/kv.md: the
     *                 embedded backend) or fails with {@code OutOfRangeException}, value unchanged (Redis)
     */
    public Model(boolean addWraps) {
        this.addWraps = addWraps;
    }

    /** Thrown by the model where the backend must throw an exception of the same simple class name. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(Class<? extends RuntimeException> type) {
            super(type.getSimpleName(), null, false, false);
        }
    }

    private static Failure fail(Class<? extends RuntimeException> type) {
        return new Failure(type);
    }

    /** @return the live entry, an expired one purged (with its tags) first */
    private Entry live(String alias, long now) {
        Entry e = entries.get(alias);
        if (e != null && e.expiry != 0 && e.expiry <= now) {
            entries.remove(alias);
            return null;
        }
        return e;
    }

    private Entry existing(String alias, Type type, long now) {
        Entry e = live(alias, now);
        if (e == null) {
            throw fail(AliasNotFoundException.class);
        }
        if (e.type != type) {
            throw fail(IncompatibleTypeException.class);
        }
        return e;
    }

    private Entry container(String alias, Type type, long now) {
        Entry e = live(alias, now);
        if (e == null) {
            e = new Entry(type);
            entries.put(alias, e);
        } else if (e.type != type) {
            throw fail(IncompatibleTypeException.class);
        }
        return e;
    }

    /** Creates or replaces a blob or integer, as {@code put} ({@code mustBeNew}) or {@code update}. */
    private Entry write(String alias, Type type, long expiry, boolean mustBeNew, long now) {
        Entry old = live(alias, now);
        if (old != null && mustBeNew) {
            throw fail(AliasAlreadyExistsException.class);
        }
        if (old != null && old.type != type) {
            throw fail(IncompatibleTypeException.class);
        }
        Entry e = new Entry(type);
        e.expiry = expiry;
        if (old != null) {
            e.tags.addAll(old.tags); // update keeps the tag links
        }
        entries.put(alias, e);
        return e;
    }

    static Type tagType(long n) {
        return Type.values()[(int) Math.floorMod(n, 4L)];
    }

    /**
     * Expiry millis of {@code expiresFromNow(ofSeconds(seconds))} at {@code now}, as docs/kv.md states it: zero or
     * negative expires at once (the earliest expiry, 1), and {@code now + delay} saturates instead of overflowing.
     */
    static long fromNow(long now, long seconds) {
        long ms = seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE
                : seconds < Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : seconds * 1000;
        long sum;
        try {
            sum = Math.addExact(now, ms);
        } catch (ArithmeticException overflow) {
            sum = ms < 0 ? 1 : Long.MAX_VALUE;
        }
        return Math.max(1, sum);
    }

    /**
     * Applies an operation.
     *
     * @param now the injected clock's millis when it runs
     * @return its outcome, or {@code !ExceptionName}
     */
    public Object apply(Op op, long now) {
        try {
            return run(op, now);
        } catch (Failure f) {
            return "!" + f.getMessage();
        }
    }

    private Object run(Op op, long now) {
        String a = op.alias();
        String v = op.value();
        long n = op.n();
        switch (op.kind()) {
            case BLOB_PUT, BLOB_UPDATE -> {
                write(a, Type.BLOB, 0, op.kind() == Op.Kind.BLOB_PUT, now).blob = v;
                return "ok";
            }
            case BLOB_PUT_EXPIRING -> {
                write(a, Type.BLOB, fromNow(now, n), true, now).blob = v;
                return "ok";
            }
            case BLOB_GET -> {
                return existing(a, Type.BLOB, now).blob;
            }
            case BLOB_CAS -> {
                Entry e = existing(a, Type.BLOB, now);
                if (!e.blob.equals(v)) {
                    return false;
                }
                e.blob = v + "'";
                return true;
            }
            case BLOB_EXPIRE_FROM_NOW, INT_EXPIRE_FROM_NOW -> {
                existing(a, op.kind() == Op.Kind.BLOB_EXPIRE_FROM_NOW ? Type.BLOB : Type.INTEGER, now).expiry =
                        fromNow(now, n);
                return "ok";
            }
            case BLOB_GET_EXPIRY -> {
                long e = existing(a, Type.BLOB, now).expiry;
                return e == 0 ? "never" : e;
            }
            case INT_PUT, INT_UPDATE -> {
                write(a, Type.INTEGER, 0, op.kind() == Op.Kind.INT_PUT, now).number = n;
                return "ok";
            }
            case INT_ADD -> {
                Entry e = existing(a, Type.INTEGER, now);
                if (addWraps) {
                    e.number += n;
                } else {
                    try {
                        e.number = Math.addExact(e.number, n);
                    } catch (ArithmeticException outOfRange) {
                        throw fail(OutOfRangeException.class);
                    }
                }
                return e.number;
            }
            case INT_GET -> {
                return existing(a, Type.INTEGER, now).number;
            }
            case PUSH_BACK, PUSH_FRONT -> {
                Entry e = container(a, Type.DEQUE, now);
                if (op.kind() == Op.Kind.PUSH_BACK) {
                    e.deque.addLast(v);
                } else {
                    e.deque.addFirst(v);
                }
                return "ok";
            }
            case POP_FRONT, POP_BACK -> {
                Entry e = existing(a, Type.DEQUE, now);
                if (e.deque.isEmpty()) {
                    throw fail(EmptyContainerException.class);
                }
                return op.kind() == Op.Kind.POP_FRONT ? e.deque.removeFirst() : e.deque.removeLast();
            }
            case DEQUE_SIZE -> {
                return (long) existing(a, Type.DEQUE, now).deque.size();
            }
            case DEQUE_GET_AT -> {
                if (n < 0) {
                    throw fail(OutOfRangeException.class); // checked before anything runs
                }
                Entry e = existing(a, Type.DEQUE, now);
                if (n >= e.deque.size()) {
                    throw fail(OutOfRangeException.class);
                }
                return e.deque.get((int) n);
            }
            case DEQUE_ELEMENTS -> {
                return List.copyOf(existing(a, Type.DEQUE, now).deque);
            }
            case SET_INSERT -> {
                if (!container(a, Type.SET, now).set.add(v)) {
                    throw fail(ElementAlreadyExistsException.class);
                }
                return "ok";
            }
            case SET_ERASE -> {
                if (!existing(a, Type.SET, now).set.remove(v)) {
                    throw fail(ElementNotFoundException.class);
                }
                return "ok";
            }
            case SET_CONTAINS -> {
                return existing(a, Type.SET, now).set.contains(v);
            }
            case SET_SIZE -> {
                return (long) existing(a, Type.SET, now).set.size();
            }
            case SET_MEMBERS -> {
                return List.copyOf(existing(a, Type.SET, now).set);
            }
            case REMOVE -> {
                existing(a, tagType(n), now);
                entries.remove(a);
                return "ok";
            }
            case ATTACH_TAG -> {
                if (!existing(a, tagType(n), now).tags.add(v)) {
                    throw fail(TagAlreadySetException.class);
                }
                return "ok";
            }
            case DETACH_TAG -> {
                if (!existing(a, tagType(n), now).tags.remove(v)) {
                    throw fail(TagNotSetException.class);
                }
                return "ok";
            }
            case HAS_TAG -> {
                return existing(a, tagType(n), now).tags.contains(v);
            }
            case GET_TAGS -> {
                return List.copyOf(existing(a, tagType(n), now).tags);
            }
            case TAG_ENTRIES -> {
                return entriesWithTag(v, now);
            }
            case EXISTS -> {
                return live(a, now) != null;
            }
            case TYPE -> {
                Entry e = live(a, now);
                return e == null ? "none" : e.type.name();
            }
            default -> throw new IllegalArgumentException("not a data-model operation: " + op);
        }
    }

    private List<String> entriesWithTag(String tag, long now) {
        List<String> out = new ArrayList<>();
        for (String alias : List.copyOf(entries.keySet())) {
            Entry e = live(alias, now);
            if (e != null && e.tags.contains(tag)) {
                out.add(alias);
            }
        }
        return out;
    }

    /**
     * @return everything a reader can see of {@code aliases} and {@code tags} at {@code now}, as
     *         {@link Runner#snapshot} reads it from a cluster
     */
    public Map<String, Object> snapshot(List<String> aliases, List<String> tags, long now) {
        Map<String, Object> out = new TreeMap<>();
        for (String a : aliases) {
            Entry e = live(a, now);
            if (e == null) {
                continue;
            }
            Object content = switch (e.type) {
                case BLOB -> e.blob + " expiry " + (e.expiry == 0 ? "never" : e.expiry);
                case INTEGER -> e.number + " expiry " + (e.expiry == 0 ? "never" : e.expiry);
                case DEQUE -> List.copyOf(e.deque);
                case SET -> List.copyOf(e.set);
            };
            out.put(a, List.of(e.type.name(), content, List.copyOf(e.tags)));
        }
        for (String t : tags) {
            out.put("tag " + t, entriesWithTag(t, now));
        }
        return out;
    }

    @Override
    public String toString() {
        return Objects.toString(entries.keySet());
    }
}
