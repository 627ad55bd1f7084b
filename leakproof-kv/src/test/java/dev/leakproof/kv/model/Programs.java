package dev.leakproof.kv.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random programs of the model-based test, drawn from a {@link SplittableRandom} so that a seed names a program
 * exactly. The distributions are the ones the test has always used: kinds uniform over the allowed set; each
 * type has a home alias ("a" blob, "b" integer, "c" deque, "d" set) that 7 operations in 10 on the type use, so
 * programs build real entries and go on to use them, while the rest pick any alias and meet entries of other
 * types; numbers uniform in [-2, 5] 12 times in 13 and {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} the
 * 13th; values, tags and the async flag uniform; a program's length uniform from 0 to its maximum.
 */
public final class Programs {
    static final List<String> ALIASES = List.of("a", "b", "c", "d");
    static final List<String> VALUES = List.of("x", "y", "z");

    private Programs() {
    }

    /** @return a program of 0 to {@code maxSize} operations of the given kinds */
    public static List<Op> program(SplittableRandom random, Set<Op.Kind> kinds, int maxSize) {
        List<Op.Kind> choices = List.copyOf(kinds);
        int size = random.nextInt(maxSize + 1);
        List<Op> ops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ops.add(op(random, choices));
        }
        return List.copyOf(ops);
    }

    static Op op(SplittableRandom random, List<Op.Kind> kinds) {
        Op.Kind kind = kinds.get(random.nextInt(kinds.size()));
        int type = typeOf(kind) >= 0 ? typeOf(kind) : random.nextInt(4);
        String alias = random.nextInt(10) < 7 ? ALIASES.get(type) : ALIASES.get(random.nextInt(ALIASES.size()));
        String value = VALUES.get(random.nextInt(VALUES.size()));
        long n = typeOf(kind) >= 0 || !carriesType(kind) ? number(random) : type;
        return new Op(kind, alias, value, n, random.nextBoolean());
    }

    private static long number(SplittableRandom random) {
        if (random.nextInt(13) < 12) {
            return random.nextLong(-2, 6);
        }
        return random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /** @return whether {@code n} of the operation names the entry type it acts as */
    static boolean carriesType(Op.Kind k) {
        return switch (k) {
            case REMOVE, ATTACH_TAG, DETACH_TAG, HAS_TAG, GET_TAGS -> true;
            default -> false;
        };
    }

    /** @return the entry type (0 blob … 3 set) the operation acts on, or -1 if it has none of its own */
    static int typeOf(Op.Kind k) {
        return switch (k) {
            case BLOB_PUT, BLOB_PUT_EXPIRING, BLOB_UPDATE, BLOB_GET, BLOB_CAS, BLOB_EXPIRE_FROM_NOW, BLOB_GET_EXPIRY -> 0;
            case INT_PUT, INT_UPDATE, INT_ADD, INT_GET, INT_EXPIRE_FROM_NOW -> 1;
            case PUSH_BACK, PUSH_FRONT, POP_FRONT, POP_BACK, DEQUE_SIZE, DEQUE_GET_AT, DEQUE_ELEMENTS -> 2;
            case SET_INSERT, SET_ERASE, SET_CONTAINS, SET_SIZE, SET_MEMBERS -> 3;
            default -> -1;
        };
    }

    /**
     * Smaller programs than {@code ops}, the most promising first (delta debugging): without each chunk of
     * half, a quarter, … of its operations, then without each single operation, then with one operation's
     * arguments simpler (the blocking form, a number nearer 0 (0, else at most 5 away, else one step), value "x", the type's home alias).
     */
    static List<List<Op>> smaller(List<Op> ops) {
        List<List<Op>> out = new ArrayList<>();
        for (int chunk = ops.size() / 2; chunk >= 1; chunk /= 2) {
            for (int from = 0; from < ops.size(); from += chunk) {
                List<Op> rest = new ArrayList<>(ops.subList(0, from));
                rest.addAll(ops.subList(Math.min(ops.size(), from + chunk), ops.size()));
                out.add(List.copyOf(rest));
            }
        }
        if (ops.size() == 1) {
            out.add(List.of());
        }
        for (int i = 0; i < ops.size(); i++) {
            for (Op simpler : simpler(ops.get(i))) {
                List<Op> changed = new ArrayList<>(ops);
                changed.set(i, simpler);
                out.add(List.copyOf(changed));
            }
        }
        return out;
    }

    private static List<Op> simpler(Op op) {
        List<Op> out = new ArrayList<>();
        if (op.async()) {
            out.add(new Op(op.kind(), op.alias(), op.value(), op.n(), false));
        }
        if (!carriesType(op.kind()) && op.n() != 0) {
            out.add(new Op(op.kind(), op.alias(), op.value(), 0, op.async()));
            long magnitude = op.n() == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(op.n());
            if (magnitude > 5) {
                out.add(new Op(op.kind(), op.alias(), op.value(), 5 * Long.signum(op.n()), op.async()));
            } else if (magnitude > 1) {
                out.add(new Op(op.kind(), op.alias(), op.value(), op.n() - Long.signum(op.n()), op.async()));
            }
        }
        if (!op.value().equals(VALUES.getFirst())) {
            out.add(new Op(op.kind(), op.alias(), VALUES.getFirst(), op.n(), op.async()));
        }
        int type = typeOf(op.kind()) >= 0 ? typeOf(op.kind()) : carriesType(op.kind()) ? (int) op.n() : 0;
        String home = ALIASES.get(type);
        if (!op.alias().equals(home)) {
            out.add(new Op(op.kind(), home, op.value(), op.n(), op.async()));
        }
        return out;
    }
}
