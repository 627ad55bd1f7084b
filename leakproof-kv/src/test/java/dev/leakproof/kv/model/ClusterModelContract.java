package dev.leakproof.kv.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.kv.Cluster;
import dev.leakproof.kv.ClusterClosedException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The model-based test every backend of leakproof-kv must pass: random sequences of operations, checked one by
 * one against {@link Model}, the data model of docs/kv.md written as plainly as possible. A backend's test
 * extends this class and supplies {@link #open(String, InstantSource)}; nothing else here knows the backend.
 *
 * <p>Two properties. {@link #oneThreadAgreesWithTheModel} runs one program of up to 60 operations on every type,
 * blocking and async forms, with expiry judged by an injected clock the program moves, and closes and reopens
 * the cluster at random points (checking that a call on the closed cluster fails closed); every outcome, value
 * or error, must equal the model's, and so must everything a reader sees at the end. {@link
 * #threadsAgreeWithTheirModelsAndSharedWritesCommute} runs three programs at once: each thread on its own aliases
 * and tags, checked exactly against its own model (their keys are disjoint, so the threads cannot change each
 * other's outcomes), and all of them on one shared integer ({@code add}) and one shared set ({@code insert}),
 * whose order is free but whose end state is not: the sum of the applied adds, and each element inserted exactly
 * once. The cluster is closed after a random number of operations while the threads run: an operation that
 * fails with {@link ClusterClosedException} did not run (the model skips it); one that returned did. The state
 * is then read back from a reopened cluster.
 *
 * <p>Failing cases are shrunk by jqwik (fewer and simpler operations) and reported with their seed; a failed
 * seed is tried first on the next run (jqwik's database, under {@code target/}), and {@code @Property(seed =
 * "…")} on a copy of the property replays it exactly for one thread (the multi-thread property replays its
 * programs and close point; the interleaving is the scheduler's).
 */
public abstract class ClusterModelContract {
    private static final List<String> ALIASES = List.of("a", "b", "c", "d");
    private static final List<String> VALUES = List.of("x", "y", "z");
    private static final int THREADS = 3;
    private static final AtomicLong NAMESPACES = new AtomicLong();

    /**
     * @param namespace names the data of one try: the first open of a namespace sees no entries, later opens
     *                  of it see what the earlier ones wrote (closed cleanly)
     * @param clock     the clock expiry must follow
     * @return an open cluster of the backend under test
     */
    protected abstract Cluster open(String namespace, InstantSource clock);

    private static String newNamespace() {
        return "try-" + NAMESPACES.incrementAndGet();
    }

    private static final Set<Op.Kind> DRIVEN = EnumSet.of(Op.Kind.ADVANCE_CLOCK, Op.Kind.REOPEN);
    private static final Set<Op.Kind> SHARED = EnumSet.of(Op.Kind.SHARED_ADD, Op.Kind.SHARED_INSERT);

    private static Arbitrary<Long> numbers() {
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.longs().between(-2, 5)),
                Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE)));
    }

    /**
     * Each type has a home alias ("a" blob, "b" integer, "c" deque, "d" set) that most operations on the type
     * use, so that programs build real entries and go on to use them; the rest pick any alias and meet entries of
     * other types.
     */
    private static Arbitrary<Op> ops(Set<Op.Kind> kinds) {
        return Arbitraries.of(kinds).withoutEdgeCases().flatMap(kind -> {
            Arbitrary<Integer> type = typeOf(kind) >= 0 ? Arbitraries.just(typeOf(kind))
                    : Arbitraries.integers().between(0, 3).withoutEdgeCases();
            return type.flatMap(t -> {
                Arbitrary<String> alias = Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.just(ALIASES.get(t))),
                        Tuple.of(3, Arbitraries.of(ALIASES)));
                Arbitrary<Long> n = typeOf(kind) >= 0 || !carriesType(kind) ? numbers() : Arbitraries.just((long) t);
                return Combinators.combine(alias, Arbitraries.of(VALUES), n, Arbitraries.of(false, true))
                        .as((a, v, number, async) -> new Op(kind, a, v, number, async));
            });
        });
    }

    /** @return whether {@code n} of the operation names the entry type it acts as */
    private static boolean carriesType(Op.Kind k) {
        return switch (k) {
            case REMOVE, ATTACH_TAG, DETACH_TAG, HAS_TAG, GET_TAGS -> true;
            default -> false;
        };
    }

    /** @return the entry type (0 blob … 3 set) the operation acts on, or -1 if it has none of its own */
    private static int typeOf(Op.Kind k) {
        return switch (k) {
            case BLOB_PUT, BLOB_PUT_EXPIRING, BLOB_UPDATE, BLOB_GET, BLOB_CAS, BLOB_EXPIRE_FROM_NOW, BLOB_GET_EXPIRY -> 0;
            case INT_PUT, INT_UPDATE, INT_ADD, INT_GET, INT_EXPIRE_FROM_NOW -> 1;
            case PUSH_BACK, PUSH_FRONT, POP_FRONT, POP_BACK, DEQUE_SIZE, DEQUE_GET_AT, DEQUE_ELEMENTS -> 2;
            case SET_INSERT, SET_ERASE, SET_CONTAINS, SET_SIZE, SET_MEMBERS -> 3;
            default -> -1;
        };
    }

    @Provide
    Arbitrary<List<Op>> program() {
        Set<Op.Kind> kinds = EnumSet.allOf(Op.Kind.class);
        kinds.removeAll(SHARED);
        return ops(kinds).list().ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<List<Op>> threadProgram() {
        Set<Op.Kind> kinds = EnumSet.allOf(Op.Kind.class);
        kinds.removeAll(DRIVEN);
        return ops(kinds).list().ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    }

    private static boolean namesATag(Op.Kind k) {
        return switch (k) {
            case ATTACH_TAG, DETACH_TAG, HAS_TAG, TAG_ENTRIES -> true;
            default -> false;
        };
    }

    @Property(tries = 150)
    void oneThreadAgreesWithTheModel(@ForAll("program") List<Op> ops) {
        String ns = newNamespace();
        ManualClock clock = new ManualClock();
        Model model = new Model();
        Cluster c = open(ns, clock);
        try {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                switch (op.kind()) {
                    case ADVANCE_CLOCK -> clock.advance(Duration.ofSeconds(Math.floorMod(op.n(), 4L)).toMillis());
                    case REOPEN -> {
                        c.close();
                        Cluster closed = c;
                        assertThrows(ClusterClosedException.class, () -> closed.exists("a"));
                        assertEquals("!ClusterClosedException", Runner.apply(closed,
                                new Op(Op.Kind.INT_ADD, "a", "x", 1, true), clock.millis()));
                        c = open(ns, clock);
                    }
                    default -> {
                        long now = clock.millis();
                        Object actual = Runner.apply(c, op, now);
                        Object expected = model.apply(op, now);
                        assertEquals(expected, actual, "operation " + i + ", " + op + ", of " + ops);
                    }
                }
            }
            assertEquals(model.snapshot(ALIASES, VALUES, clock.millis()), Runner.snapshot(c, ALIASES, VALUES),
                    "what a reader sees after " + ops);
        } finally {
            c.close();
        }
    }

    /** @return the operation on thread {@code t}'s own aliases and tags, or on the shared entries */
    private static Op forThread(Op op, int t) {
        return switch (op.kind()) {
            case SHARED_ADD -> new Op(op.kind(), "shared-n", op.value(), op.n(), op.async());
            case SHARED_INSERT -> new Op(op.kind(), "shared-s", op.value(), op.n(), op.async());
            default -> new Op(op.kind(), "T" + t + "-" + op.alias(),
                    namesATag(op.kind()) ? "T" + t + "-" + op.value() : op.value(), op.n(), op.async());
        };
    }

    private static List<String> prefixed(List<String> names, int t) {
        return names.stream().map(n -> "T" + t + "-" + n).toList();
    }

    @Property(tries = 40)
    void threadsAgreeWithTheirModelsAndSharedWritesCommute(@ForAll("threadProgram") List<Op> p0,
                                                           @ForAll("threadProgram") List<Op> p1,
                                                           @ForAll("threadProgram") List<Op> p2,
                                                           @ForAll @IntRange(min = 0, max = 130) int closeAfter)
            throws InterruptedException {
        List<List<Op>> programs = List.of(p0, p1, p2);
        String ns = newNamespace();
        ManualClock clock = new ManualClock();
        Cluster c = open(ns, clock);
        c.integer("shared-n").update(0);
        List<Model> models = new ArrayList<>();
        List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
        // per thread: the outcome of each shared operation
        List<List<Object[]>> shared = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Model model = new Model();
            models.add(model);
            List<Object[]> mine = new ArrayList<>();
            shared.add(mine);
            int thread = t;
            List<Op> own = programs.get(t).stream().map(op -> forThread(op, thread)).toList();
            threads.add(Thread.ofPlatform().name("model-" + t).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < own.size(); i++) {
                        Op op = own.get(i);
                        long now = clock.millis();
                        Object actual = Runner.apply(c, op, now);
                        if (SHARED.contains(op.kind())) {
                            mine.add(new Object[] {op, actual});
                        } else if (!"!ClusterClosedException".equals(actual)) {
                            Object expected = model.apply(op, now);
                            if (!expected.equals(actual)) {
                                mismatches.add("thread " + thread + ", operation " + i + ", " + op + ": expected "
                                        + expected + ", got " + actual);
                            }
                        }
                        if (done.incrementAndGet() == closeAfter) {
                            c.close();
                        }
                    }
                } catch (Throwable e) {
                    mismatches.add("thread " + thread + " threw " + e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            assertTrue(thread.join(Duration.ofSeconds(120)), thread.getName() + " did not finish within 120 s");
        }
        c.close();
        assertEquals(List.of(), mismatches, "programs " + programs + ", closed after " + closeAfter + " operations");

        long sum = 0;
        Map<String, Integer> inserted = new HashMap<>();
        Set<String> attempted = new TreeSet<>();
        for (List<Object[]> outcomes : shared) {
            for (Object[] o : outcomes) {
                Op op = (Op) o[0];
                Object outcome = o[1];
                if ("!ClusterClosedException".equals(outcome)) {
                    continue;
                }
                if (op.kind() == Op.Kind.SHARED_ADD) {
                    assertTrue(outcome instanceof Long, "add returned " + outcome);
                    sum += op.n();
                } else {
                    attempted.add(op.value());
                    assertTrue(outcome.equals("ok") || outcome.equals("!ElementAlreadyExistsException"),
                            "insert returned " + outcome);
                    inserted.merge(op.value(), outcome.equals("ok") ? 1 : 0, Integer::sum);
                }
            }
        }
        Cluster reopened = open(ns, clock);
        try {
            assertEquals(sum, reopened.integer("shared-n").get(), "the shared integer is the sum of the applied adds");
            if (attempted.isEmpty()) {
                assertFalse(reopened.exists("shared-s"));
            } else {
                assertEquals(new ArrayList<>(attempted), reopened.set("shared-s").members().stream()
                        .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList());
            }
            for (String e : attempted) {
                assertEquals(1, inserted.get(e), "element " + e + " inserted by exactly one thread");
            }
            for (int t = 0; t < THREADS; t++) {
                List<String> aliases = prefixed(ALIASES, t);
                List<String> tags = prefixed(VALUES, t);
                assertEquals(models.get(t).snapshot(aliases, tags, clock.millis()),
                        Runner.snapshot(reopened, aliases, tags), "thread " + t + "'s entries after " + programs);
            }
        } finally {
            reopened.close();
        }
    }
}
