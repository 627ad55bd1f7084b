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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
/**
 * The model-based test every backend of leakproof-kv must pass: random sequences of operations, checked one by
 * one against {@link Model}, the data model of docs/kv.md written as plainly as possible. A backend's test
 * extends this class and supplies {@link #open(String, InstantSource)}, and where docs/kv.md states a weaker
 * guarantee for it, {@link #capabilities()}; nothing else here knows the backend.
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
 * <p>Cases are drawn by {@link Programs} from seeds and run by {@link Tries}, which shrinks a failing case
 * (fewer, then simpler operations) and reports it with its seed and the command that reruns exactly that seed
 * ({@code -Dkv.model.seed=…}; for the threaded property the programs and the close point are replayed, the
 * interleaving is the scheduler's).
 */
public abstract class ClusterModelContract {
    private static final List<String> ALIASES = Programs.ALIASES;
    private static final List<String> VALUES = Programs.VALUES;
    private static final int THREADS = 3;
    /** Names this JVM's tries apart from any earlier run's on a backend whose data outlives the JVM. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong NAMESPACES = new AtomicLong();

    /**
     * What a backend guarantees where docs/kv.md's table of guarantees lets backends differ.
     *
     * @param expiryFollowsInjectedClock whether expiry is judged against the clock given to {@link #open} (false:
     *                                   the backend's own clock decides, so the operations that set an expiry are
     *                                   not generated; reading one, never set, still is)
     * @param addWraps                   whether {@code add} past the 64-bit range wraps like {@code int64_t}
     *                                   (false: it fails with {@code OutOfRangeException}, value unchanged)
     * @param oneThreadTries             tries of the one-thread property
     * @param threadTries                tries of the three-thread property
     */
    public record Capabilities(boolean expiryFollowsInjectedClock, boolean addWraps, int oneThreadTries,
                                  int threadTries) {
        /** The embedded backend's: the data model of docs/kv.md in full. */
        public static final Capabilities FULL = new Capabilities(true, true, 150, 40);
    }

    /**
     * @param namespace names the data of one try: the first open of a namespace sees no entries, later opens
     *                  of it see what the earlier ones wrote (closed cleanly). Every alias and tag a try uses
     *                  starts with {@code namespace + "/"}, and namespaces are unique across runs.
     * @param clock     the clock expiry must follow
     * @return an open cluster of the backend under test
     */
    protected abstract Cluster open(String namespace, InstantSource clock);

    /** @return the backend's capabilities; {@link Capabilities#FULL} unless overridden */
    protected Capabilities capabilities() {
        return Capabilities.FULL;
    }

    /**
     * Called after every try, passed or failed, when its clusters are closed: a backend whose data outlives the
     * try removes it here. Does nothing unless overridden.
     *
     * @param namespace the try's namespace, as given to {@link #open}: every alias of the try starts with
     *                  {@code namespace + "/"}
     * @param tags      every tag the try may have used
     */
    protected void discard(String namespace, List<String> tags) {
    }

    private static String newNamespace() {
        return "try-" + RUN + "-" + NAMESPACES.incrementAndGet();
    }

    private static final Set<Op.Kind> DRIVEN = EnumSet.of(Op.Kind.ADVANCE_CLOCK, Op.Kind.REOPEN);
    private static final Set<Op.Kind> SHARED = EnumSet.of(Op.Kind.SHARED_ADD, Op.Kind.SHARED_INSERT);
    private static final Set<Op.Kind> SETS_EXPIRY =
            EnumSet.of(Op.Kind.BLOB_PUT_EXPIRING, Op.Kind.BLOB_EXPIRE_FROM_NOW, Op.Kind.INT_EXPIRE_FROM_NOW);

    private Set<Op.Kind> kinds(Set<Op.Kind> excluded) {
        Set<Op.Kind> kinds = EnumSet.allOf(Op.Kind.class);
        kinds.removeAll(excluded);
        if (!capabilities().expiryFollowsInjectedClock()) {
            kinds.removeAll(SETS_EXPIRY);
        }
        return kinds;
    }

    private static boolean namesATag(Op.Kind k) {
        return switch (k) {
            case ATTACH_TAG, DETACH_TAG, HAS_TAG, TAG_ENTRIES -> true;
            default -> false;
        };
    }

    /** @return the command that reruns one seed of {@code property}, up to the seed's value */
    private String reproduce(String property) {
        return "./mvnw -q -B -o -pl leakproof-kv -am verify -Dtest=" + getClass().getSimpleName() + "#" + property
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dkv.model.seed=";
    }

    @Test
    public void oneThreadAgreesWithTheModel() {
        Set<Op.Kind> kinds = kinds(SHARED);
        new Tries<List<Op>>("oneThreadAgreesWithTheModel", reproduce("oneThreadAgreesWithTheModel"),
                random -> Programs.program(random, kinds, 60), Programs::smaller, Object::toString, 2_000)
                .run(capabilities().oneThreadTries(), this::oneThread);
    }

    /** @return {@code op} on the try's own aliases and tags */
    private static Op scoped(Op op, String prefix) {
        return new Op(op.kind(), prefix + op.alias(), namesATag(op.kind()) ? prefix + op.value() : op.value(),
                op.n(), op.async());
    }

    private static List<String> prefixed(List<String> names, String prefix) {
        return names.stream().map(n -> prefix + n).toList();
    }

    private void oneThread(List<Op> ops) {
        String ns = newNamespace();
        String prefix = ns + "/";
        ManualClock clock = new ManualClock();
        Model model = new Model(capabilities().addWraps());
        try {
            Cluster c = open(ns, clock);
            try {
                for (int i = 0; i < ops.size(); i++) {
                    Op op = scoped(ops.get(i), prefix);
                    switch (op.kind()) {
                        case ADVANCE_CLOCK -> clock.advance(Duration.ofSeconds(Math.floorMod(op.n(), 4L)).toMillis());
                        case REOPEN -> {
                            c.close();
                            Cluster closed = c;
                            assertThrows(ClusterClosedException.class, () -> closed.exists(prefix + "a"));
                            assertEquals("!ClusterClosedException", Runner.apply(closed,
                                    new Op(Op.Kind.INT_ADD, prefix + "a", "x", 1, true), clock.millis()));
                            c = open(ns, clock);
                        }
                        default -> {
                            long now = clock.millis();
                            Object actual = Runner.apply(c, op, now);
                            Object expected = model.apply(op, now);
                            assertEquals(expected, actual, "operation " + i + ", " + ops.get(i) + ", of " + ops);
                        }
                    }
                }
                assertEquals(model.snapshot(prefixed(ALIASES, prefix), prefixed(VALUES, prefix), clock.millis()),
                        Runner.snapshot(c, prefixed(ALIASES, prefix), prefixed(VALUES, prefix)),
                        "what a reader sees after " + ops);
            } finally {
                c.close();
            }
        } finally {
            discard(ns, prefixed(VALUES, prefix));
        }
    }

    /**
     * One case of the threaded property: a program per thread, and the count of operations (over all threads)
     * after which the cluster is closed (0: never, while the threads run).
     */
    private record ThreadCase(List<List<Op>> programs, int closeAfter) {
        @Override
        public String toString() {
            return "programs " + programs + ", closed after " + closeAfter + " operations";
        }

        List<ThreadCase> smaller() {
            List<ThreadCase> out = new ArrayList<>();
            for (int t = 0; t < programs.size(); t++) {
                for (List<Op> p : Programs.smaller(programs.get(t))) {
                    List<List<Op>> changed = new ArrayList<>(programs);
                    changed.set(t, p);
                    out.add(new ThreadCase(List.copyOf(changed), closeAfter));
                }
            }
            if (closeAfter > 0) {
                out.add(new ThreadCase(programs, 0));
            }
            if (closeAfter > 1) {
                out.add(new ThreadCase(programs, closeAfter / 2));
                out.add(new ThreadCase(programs, closeAfter - 1));
            }
            return out;
        }
    }

    @Test
    public void threadsAgreeWithTheirModelsAndSharedWritesCommute() {
        Set<Op.Kind> kinds = kinds(DRIVEN);
        new Tries<ThreadCase>("threadsAgreeWithTheirModelsAndSharedWritesCommute",
                reproduce("threadsAgreeWithTheirModelsAndSharedWritesCommute"),
                random -> {
                    List<List<Op>> programs = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        programs.add(Programs.program(random, kinds, 40));
                    }
                    return new ThreadCase(List.copyOf(programs), random.nextInt(131));
                }, ThreadCase::smaller, Object::toString, 300)
                .run(capabilities().threadTries(), this::threads);
    }

    /** @return the operation on thread {@code t}'s own aliases and tags, or on the shared entries */
    private static Op forThread(Op op, int t, String prefix) {
        return switch (op.kind()) {
            case SHARED_ADD -> new Op(op.kind(), prefix + "shared-n", op.value(), op.n(), op.async());
            case SHARED_INSERT -> new Op(op.kind(), prefix + "shared-s", op.value(), op.n(), op.async());
            default -> scoped(op, prefix + "T" + t + "-");
        };
    }

    private void threads(ThreadCase threadCase) throws InterruptedException {
        String ns = newNamespace();
        try {
            threads(threadCase, ns);
        } finally {
            List<String> tags = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tags.addAll(prefixed(VALUES, ns + "/T" + t + "-"));
            }
            discard(ns, tags);
        }
    }

    private void threads(ThreadCase threadCase, String ns) throws InterruptedException {
        List<List<Op>> programs = threadCase.programs();
        int closeAfter = threadCase.closeAfter();
        String prefix = ns + "/";
        String sharedN = prefix + "shared-n";
        String sharedS = prefix + "shared-s";
        boolean addWraps = capabilities().addWraps();
        ManualClock clock = new ManualClock();
        Cluster c = open(ns, clock);
        c.integer(sharedN).update(0);
        List<Model> models = new ArrayList<>();
        List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
        // per thread: the outcome of each shared operation
        List<List<Object[]>> shared = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Model model = new Model(addWraps);
            models.add(model);
            List<Object[]> mine = new ArrayList<>();
            shared.add(mine);
            int thread = t;
            List<Op> own = programs.get(t).stream().map(op -> forThread(op, thread, prefix)).toList();
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
        try {
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(120)), thread.getName() + " did not finish within 120 s");
            }
        } finally {
            c.close(); // a second close is a no-op
        }
        assertEquals(List.of(), mismatches, threadCase.toString());

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
                    if (!addWraps && "!OutOfRangeException".equals(outcome)) {
                        // refused past the 64-bit range (whether it is depends on the order): not applied
                        continue;
                    }
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
            assertEquals(sum, reopened.integer(sharedN).get(), "the shared integer is the sum of the applied adds");
            if (attempted.isEmpty()) {
                assertFalse(reopened.exists(sharedS));
            } else {
                assertEquals(new ArrayList<>(attempted), reopened.set(sharedS).members().stream()
                        .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList());
            }
            for (String e : attempted) {
                assertEquals(1, inserted.get(e), "element " + e + " inserted by exactly one thread");
            }
            for (int t = 0; t < THREADS; t++) {
                List<String> aliases = prefixed(ALIASES, prefix + "T" + t + "-");
                List<String> tags = prefixed(VALUES, prefix + "T" + t + "-");
                assertEquals(models.get(t).snapshot(aliases, tags, clock.millis()),
                        Runner.snapshot(reopened, aliases, tags), "thread " + t + "'s entries after " + threadCase);
            }
        } finally {
            reopened.close();
        }
    }
}
