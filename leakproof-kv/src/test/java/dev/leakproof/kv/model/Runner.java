package dev.leakproof.kv.model;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.leakproof.kv.BlobEntry;
import dev.leakproof.kv.Cluster;
import dev.leakproof.kv.Entry;
import dev.leakproof.kv.EntryType;
import dev.leakproof.kv.Expiry;
import dev.leakproof.kv.KvException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Runs an {@link Op} on a real cluster and reports its outcome in the form {@link Model#apply} does. */
public final class Runner {
    private Runner() {
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    private static List<String> strings(List<byte[]> values) {
        return values.stream().map(Runner::s).toList();
    }

    /** @return the blocking form's result, or the async form's joined */
    private static <T> T either(Op op, Supplier<T> blocking, Supplier<CompletableFuture<T>> async) {
        if (!op.async()) {
            return blocking.get();
        }
        try {
            return async.get().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static Object ok(Op op, Runnable blocking, Supplier<CompletableFuture<Void>> async) {
        either(op, () -> {
            blocking.run();
            return null;
        }, async);
        return "ok";
    }

    private static Entry entry(Cluster c, String alias, long type) {
        return switch (Model.tagType(type)) {
            case BLOB -> c.blob(alias);
            case INTEGER -> c.integer(alias);
            case DEQUE -> c.deque(alias);
            case SET -> c.set(alias);
        };
    }

    /**
     * @return the outcome of {@code op} on {@code c}: its value, or {@code !ExceptionName} for a
     *         {@link KvException} (any other exception is a bug and propagates)
     */
    public static Object apply(Cluster c, Op op, long now) {
        try {
            return run(c, op, now);
        } catch (KvException e) {
            return "!" + e.getClass().getSimpleName();
        }
    }

    private static Object run(Cluster c, Op op, long now) {
        String a = op.alias();
        String v = op.value();
        long n = op.n();
        return switch (op.kind()) {
            case BLOB_PUT -> ok(op, () -> c.blob(a).put(b(v)), () -> c.blob(a).putAsync(b(v)));
            case BLOB_PUT_EXPIRING -> {
                Expiry e = Expiry.at(Instant.ofEpochMilli(Model.fromNow(now, n)));
                yield ok(op, () -> c.blob(a).put(b(v), e), () -> c.blob(a).putAsync(b(v), e));
            }
            case BLOB_UPDATE -> ok(op, () -> c.blob(a).update(b(v)), () -> c.blob(a).updateAsync(b(v)));
            case BLOB_GET -> s(either(op, c.blob(a)::get, c.blob(a)::getAsync));
            case BLOB_CAS -> {
                BlobEntry blob = c.blob(a);
                yield either(op, () -> blob.compareAndSwap(b(v), b(v + "'")),
                        () -> blob.compareAndSwapAsync(b(v), b(v + "'")));
            }
            case BLOB_EXPIRE_FROM_NOW -> ok(op, () -> c.blob(a).expiresFromNow(Duration.ofSeconds(n)),
                    () -> c.blob(a).expiresFromNowAsync(Duration.ofSeconds(n)));
            case INT_EXPIRE_FROM_NOW -> ok(op, () -> c.integer(a).expiresFromNow(Duration.ofSeconds(n)),
                    () -> c.integer(a).expiresFromNowAsync(Duration.ofSeconds(n)));
            case BLOB_GET_EXPIRY -> {
                Optional<Instant> e = either(op, c.blob(a)::getExpiry, c.blob(a)::getExpiryAsync);
                yield e.<Object>map(Instant::toEpochMilli).orElse("never");
            }
            case INT_PUT -> ok(op, () -> c.integer(a).put(n), () -> c.integer(a).putAsync(n));
            case INT_UPDATE -> ok(op, () -> c.integer(a).update(n), () -> c.integer(a).updateAsync(n));
            case INT_ADD, SHARED_ADD -> either(op, () -> c.integer(a).add(n), () -> c.integer(a).addAsync(n));
            case INT_GET -> either(op, c.integer(a)::get, c.integer(a)::getAsync);
            case PUSH_BACK -> ok(op, () -> c.deque(a).pushBack(b(v)), () -> c.deque(a).pushBackAsync(b(v)));
            case PUSH_FRONT -> ok(op, () -> c.deque(a).pushFront(b(v)), () -> c.deque(a).pushFrontAsync(b(v)));
            case POP_FRONT -> s(either(op, c.deque(a)::popFront, c.deque(a)::popFrontAsync));
            case POP_BACK -> s(either(op, c.deque(a)::popBack, c.deque(a)::popBackAsync));
            case DEQUE_SIZE -> either(op, c.deque(a)::size, c.deque(a)::sizeAsync);
            case DEQUE_GET_AT -> s(either(op, () -> c.deque(a).getAt(n), () -> c.deque(a).getAtAsync(n)));
            case DEQUE_ELEMENTS -> strings(either(op, c.deque(a)::elements, c.deque(a)::elementsAsync));
            case SET_INSERT, SHARED_INSERT -> ok(op, () -> c.set(a).insert(b(v)), () -> c.set(a).insertAsync(b(v)));
            case SET_ERASE -> ok(op, () -> c.set(a).erase(b(v)), () -> c.set(a).eraseAsync(b(v)));
            case SET_CONTAINS -> either(op, () -> c.set(a).contains(b(v)), () -> c.set(a).containsAsync(b(v)));
            case SET_SIZE -> either(op, c.set(a)::size, c.set(a)::sizeAsync);
            case SET_MEMBERS -> strings(either(op, c.set(a)::members, c.set(a)::membersAsync));
            case REMOVE -> ok(op, () -> entry(c, a, n).remove(), () -> entry(c, a, n).removeAsync());
            case ATTACH_TAG -> ok(op, () -> entry(c, a, n).attachTag(v), () -> entry(c, a, n).attachTagAsync(v));
            case DETACH_TAG -> ok(op, () -> entry(c, a, n).detachTag(v), () -> entry(c, a, n).detachTagAsync(v));
            case HAS_TAG -> either(op, () -> entry(c, a, n).hasTag(v), () -> entry(c, a, n).hasTagAsync(v));
            case GET_TAGS -> either(op, () -> entry(c, a, n).getTags(), () -> entry(c, a, n).getTagsAsync());
            case TAG_ENTRIES -> either(op, c.tag(v)::getEntries, c.tag(v)::getEntriesAsync);
            case EXISTS -> either(op, () -> c.exists(a), () -> c.existsAsync(a));
            case TYPE -> either(op, () -> c.type(a), () -> c.typeAsync(a)).<Object>map(EntryType::name).orElse("none");
            case ADVANCE_CLOCK, REOPEN -> throw new IllegalArgumentException("driven by the test, not run: " + op);
        };
    }

    /** @return what a reader sees of {@code aliases} and {@code tags}, in the form of {@link Model#snapshot} */
    public static Map<String, Object> snapshot(Cluster c, List<String> aliases, List<String> tags) {
        Map<String, Object> out = new TreeMap<>();
        for (String a : aliases) {
            Optional<EntryType> type = c.type(a);
            if (type.isEmpty()) {
                continue;
            }
            Object content = switch (type.get()) {
                case BLOB -> s(c.blob(a).get()) + " expiry " + expiry(c.blob(a).getExpiry());
                case INTEGER -> c.integer(a).get() + " expiry " + expiry(c.integer(a).getExpiry());
                case DEQUE -> strings(c.deque(a).elements());
                case SET -> strings(c.set(a).members());
            };
            Entry e = switch (type.get()) {
                case BLOB -> c.blob(a);
                case INTEGER -> c.integer(a);
                case DEQUE -> c.deque(a);
                case SET -> c.set(a);
            };
            out.put(a, List.of(type.get().name(), content, new ArrayList<>(e.getTags())));
        }
        for (String t : tags) {
            out.put("tag " + t, c.tag(t).getEntries());
        }
        return out;
    }

    private static Object expiry(Optional<Instant> e) {
        return e.<Object>map(Instant::toEpochMilli).orElse("never");
    }
}
