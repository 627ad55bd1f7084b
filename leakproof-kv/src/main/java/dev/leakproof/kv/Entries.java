package dev.leakproof.kv;

import dev.leakproof.kv.internal.Keys8;
import dev.leakproof.kv.internal.Backend;
import dev.leakproof.kv.internal.BatchOp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** The entry implementations: thin, checking arguments, then calling the store blocking or async. */
final class Entries {
    private Entries() {
    }

    private abstract static class Base {
        final Cluster cluster;
        final String alias;
        final byte type;

        Base(Cluster cluster, String alias, byte type) {
            this.cluster = cluster;
            this.alias = alias;
            this.type = type;
        }

        final <T> T run(Supplier<T> op) {
            return cluster.run(op);
        }

        final void exec(Runnable op) {
            cluster.run(() -> {
                op.run();
                return null;
            });
        }

        final <T> CompletableFuture<T> async(Supplier<T> op) {
            return cluster.async(op);
        }

        final CompletableFuture<Void> asyncVoid(Runnable op) {
            return cluster.async(() -> {
                op.run();
                return null;
            });
        }

        final Backend store() {
            return cluster.backend();
        }

        public String alias() {
            return alias;
        }

        public void attachTag(String tag) {
            String t = Cluster.checkName(tag, "tag");
            exec(() -> store().attachTag(alias, type, t));
        }

        public CompletableFuture<Void> attachTagAsync(String tag) {
            String t = Cluster.checkName(tag, "tag");
            return asyncVoid(() -> store().attachTag(alias, type, t));
        }

        public void detachTag(String tag) {
            String t = Cluster.checkName(tag, "tag");
            exec(() -> store().detachTag(alias, type, t));
        }

        public CompletableFuture<Void> detachTagAsync(String tag) {
            String t = Cluster.checkName(tag, "tag");
            return asyncVoid(() -> store().detachTag(alias, type, t));
        }

        public boolean hasTag(String tag) {
            String t = Cluster.checkName(tag, "tag");
            return run(() -> store().hasTag(alias, type, t));
        }

        public CompletableFuture<Boolean> hasTagAsync(String tag) {
            String t = Cluster.checkName(tag, "tag");
            return async(() -> store().hasTag(alias, type, t));
        }

        public List<String> getTags() {
            return run(() -> store().tags(alias, type));
        }

        public CompletableFuture<List<String>> getTagsAsync() {
            return async(() -> store().tags(alias, type));
        }

        public void remove() {
            exec(() -> store().remove(alias, type));
        }

        public CompletableFuture<Void> removeAsync() {
            return asyncVoid(() -> store().remove(alias, type));
        }

        @Override
        public String toString() {
            return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "('" + alias + "')";
        }
    }

    private abstract static class Expirable extends Base {
        Expirable(Cluster cluster, String alias, byte type) {
            super(cluster, alias, type);
        }

        private static long millis(Instant instant) {
            return Expiry.millisOf(instant);
        }

        private long fromNow(Duration delay) {
            return Expiry.fromNow(cluster.nowMillis(), delay);
        }

        public void expiresAt(Instant instant) {
            long ms = millis(instant);
            exec(() -> store().setExpiry(alias, type, ms));
        }

        public CompletableFuture<Void> expiresAtAsync(Instant instant) {
            long ms = millis(instant);
            return asyncVoid(() -> store().setExpiry(alias, type, ms));
        }

        public void expiresFromNow(Duration delay) {
            long ms = fromNow(delay);
            exec(() -> store().setExpiry(alias, type, ms));
        }

        public CompletableFuture<Void> expiresFromNowAsync(Duration delay) {
            long ms = fromNow(delay);
            return asyncVoid(() -> store().setExpiry(alias, type, ms));
        }

        private Optional<Instant> expiry() {
            long ms = store().expiry(alias, type);
            return ms == Backend.NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
        }

        public Optional<Instant> getExpiry() {
            return run(this::expiry);
        }

        public CompletableFuture<Optional<Instant>> getExpiryAsync() {
            return async(this::expiry);
        }

        static long expiry(Expiry e) {
            return Objects.requireNonNull(e, "expiry").millis();
        }
    }

    static final class Blob extends Expirable implements BlobEntry {
        /** The entry's key, encoded once for the read path. */
        private final byte[] key;

        Blob(Cluster cluster, String alias) {
            super(cluster, alias, Backend.BLOB);
            this.key = store().encodeKey(alias);
        }

        @Override
        public void put(byte[] value) {
            put(value, Expiry.NEVER);
        }

        @Override
        public void put(byte[] value, Expiry expiry) {
            byte[] v = Cluster.checkValue(value, "value");
            long e = expiry(expiry);
            exec(() -> store().write(alias, type, v, e, true));
        }

        @Override
        public void update(byte[] value) {
            update(value, Expiry.NEVER);
        }

        @Override
        public void update(byte[] value, Expiry expiry) {
            byte[] v = Cluster.checkValue(value, "value");
            long e = expiry(expiry);
            exec(() -> store().write(alias, type, v, e, false));
        }

        @Override
        public byte[] get() {
            return run(() -> store().read(key, alias, type));
        }

        @Override
        public CompletableFuture<Void> putAsync(byte[] value) {
            return putAsync(value, Expiry.NEVER);
        }

        @Override
        public CompletableFuture<Void> putAsync(byte[] value, Expiry expiry) {
            byte[] v = Cluster.checkValue(value, "value");
            long e = expiry(expiry);
            return cluster.async(p -> p.writeAsync(alias, type, v, e, true), () -> {
                store().write(alias, type, v, e, true);
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> updateAsync(byte[] value) {
            return updateAsync(value, Expiry.NEVER);
        }

        @Override
        public CompletableFuture<Void> updateAsync(byte[] value, Expiry expiry) {
            byte[] v = Cluster.checkValue(value, "value");
            long e = expiry(expiry);
            return cluster.async(p -> p.writeAsync(alias, type, v, e, false), () -> {
                store().write(alias, type, v, e, false);
                return null;
            });
        }

        @Override
        public CompletableFuture<byte[]> getAsync() {
            return cluster.async(p -> p.readAsync(alias, type), () -> store().read(key, alias, type));
        }

        @Override
        public boolean compareAndSwap(byte[] expected, byte[] replacement) {
            byte[] e = Objects.requireNonNull(expected, "expected");
            byte[] r = Cluster.checkValue(replacement, "replacement");
            return run(() -> store().compareAndSwap(alias, type, e, r));
        }

        @Override
        public CompletableFuture<Boolean> compareAndSwapAsync(byte[] expected, byte[] replacement) {
            byte[] e = Objects.requireNonNull(expected, "expected");
            byte[] r = Cluster.checkValue(replacement, "replacement");
            return async(() -> store().compareAndSwap(alias, type, e, r));
        }

        @Override
        public byte[] getAndUpdate(UnaryOperator<byte[]> update) {
            Objects.requireNonNull(update, "update");
            return run(() -> store().getAndUpdate(alias, type, update, v -> Cluster.checkValue(v, "updated value")));
        }

        @Override
        public CompletableFuture<byte[]> getAndUpdateAsync(UnaryOperator<byte[]> update) {
            Objects.requireNonNull(update, "update");
            return async(() -> store().getAndUpdate(alias, type, update, v -> Cluster.checkValue(v, "updated value")));
        }
    }

    static final class Int extends Expirable implements IntegerEntry {
        Int(Cluster cluster, String alias) {
            super(cluster, alias, Backend.INTEGER);
        }

        @Override
        public void put(long value) {
            put(value, Expiry.NEVER);
        }

        @Override
        public void put(long value, Expiry expiry) {
            long e = expiry(expiry);
            exec(() -> store().write(alias, type, Keys8.of(value), e, true));
        }

        @Override
        public void update(long value) {
            update(value, Expiry.NEVER);
        }

        @Override
        public void update(long value, Expiry expiry) {
            long e = expiry(expiry);
            exec(() -> store().write(alias, type, Keys8.of(value), e, false));
        }

        @Override
        public long get() {
            return run(() -> Keys8.value(store().read(alias, type)));
        }

        @Override
        public long add(long delta) {
            return run(() -> store().add(alias, delta));
        }

        @Override
        public CompletableFuture<Void> putAsync(long value) {
            return putAsync(value, Expiry.NEVER);
        }

        @Override
        public CompletableFuture<Void> putAsync(long value, Expiry expiry) {
            long e = expiry(expiry);
            return cluster.async(p -> p.writeAsync(alias, type, Keys8.of(value), e, true), () -> {
                store().write(alias, type, Keys8.of(value), e, true);
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> updateAsync(long value) {
            return updateAsync(value, Expiry.NEVER);
        }

        @Override
        public CompletableFuture<Void> updateAsync(long value, Expiry expiry) {
            long e = expiry(expiry);
            return cluster.async(p -> p.writeAsync(alias, type, Keys8.of(value), e, false), () -> {
                store().write(alias, type, Keys8.of(value), e, false);
                return null;
            });
        }

        @Override
        public CompletableFuture<Long> getAsync() {
            return cluster.async(p -> p.readAsync(alias, type).thenApply(Keys8::value),
                    () -> Keys8.value(store().read(alias, type)));
        }

        @Override
        public CompletableFuture<Long> addAsync(long delta) {
            return cluster.async(p -> p.addAsync(alias, delta), () -> store().add(alias, delta));
        }

        @Override
        public boolean compareAndSwap(long expected, long replacement) {
            return run(() -> store().compareAndSwap(alias, type, Keys8.of(expected), Keys8.of(replacement)));
        }

        @Override
        public CompletableFuture<Boolean> compareAndSwapAsync(long expected, long replacement) {
            return async(() -> store().compareAndSwap(alias, type, Keys8.of(expected), Keys8.of(replacement)));
        }

        private static UnaryOperator<byte[]> bytes(LongUnaryOperator update) {
            return v -> Keys8.of(update.applyAsLong(Keys8.value(v)));
        }

        @Override
        public long getAndUpdate(LongUnaryOperator update) {
            UnaryOperator<byte[]> u = bytes(Objects.requireNonNull(update, "update"));
            return run(() -> Keys8.value(store().getAndUpdate(alias, type, u, UnaryOperator.identity())));
        }

        @Override
        public CompletableFuture<Long> getAndUpdateAsync(LongUnaryOperator update) {
            UnaryOperator<byte[]> u = bytes(Objects.requireNonNull(update, "update"));
            return async(() -> Keys8.value(store().getAndUpdate(alias, type, u, UnaryOperator.identity())));
        }
    }

    static final class Deque extends Base implements DequeEntry {
        Deque(Cluster cluster, String alias) {
            super(cluster, alias, Backend.DEQUE);
        }

        private String checkIndex(long index) {
            if (index < 0) {
                throw new OutOfRangeException("index " + index + " is negative; deque indexes start at 0 (the front)");
            }
            return alias;
        }

        @Override
        public void pushFront(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            exec(() -> store().push(alias, v, true));
        }

        @Override
        public void pushBack(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            exec(() -> store().push(alias, v, false));
        }

        @Override
        public byte[] popFront() {
            return run(() -> store().pop(alias, true));
        }

        @Override
        public byte[] popBack() {
            return run(() -> store().pop(alias, false));
        }

        @Override
        public byte[] front() {
            return run(() -> store().dequeEnd(alias, true));
        }

        @Override
        public byte[] back() {
            return run(() -> store().dequeEnd(alias, false));
        }

        @Override
        public long size() {
            return run(() -> store().dequeSize(alias));
        }

        @Override
        public byte[] getAt(long index) {
            checkIndex(index);
            return run(() -> store().dequeGet(alias, index));
        }

        @Override
        public void setAt(long index, byte[] value) {
            checkIndex(index);
            byte[] v = Cluster.checkValue(value, "value");
            exec(() -> store().dequeSet(alias, index, v));
        }

        @Override
        public CompletableFuture<Void> pushFrontAsync(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            return cluster.async(p -> p.pushAsync(alias, v, true).thenApply(n -> (Void) null), () -> {
                store().push(alias, v, true);
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> pushBackAsync(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            return cluster.async(p -> p.pushAsync(alias, v, false).thenApply(n -> (Void) null), () -> {
                store().push(alias, v, false);
                return null;
            });
        }

        @Override
        public CompletableFuture<byte[]> popFrontAsync() {
            return cluster.async(p -> p.popAsync(alias, true), () -> store().pop(alias, true));
        }

        @Override
        public CompletableFuture<byte[]> popBackAsync() {
            return cluster.async(p -> p.popAsync(alias, false), () -> store().pop(alias, false));
        }

        @Override
        public CompletableFuture<byte[]> frontAsync() {
            return async(() -> store().dequeEnd(alias, true));
        }

        @Override
        public CompletableFuture<byte[]> backAsync() {
            return async(() -> store().dequeEnd(alias, false));
        }

        @Override
        public CompletableFuture<Long> sizeAsync() {
            return async(() -> store().dequeSize(alias));
        }

        @Override
        public CompletableFuture<byte[]> getAtAsync(long index) {
            checkIndex(index);
            return async(() -> store().dequeGet(alias, index));
        }

        @Override
        public List<byte[]> elements() {
            return run(() -> store().dequeElements(alias));
        }

        @Override
        public CompletableFuture<List<byte[]>> elementsAsync() {
            return async(() -> store().dequeElements(alias));
        }

        @Override
        public CompletableFuture<Void> setAtAsync(long index, byte[] value) {
            checkIndex(index);
            byte[] v = Cluster.checkValue(value, "value");
            return asyncVoid(() -> store().dequeSet(alias, index, v));
        }
    }

    static final class Set extends Base implements SetEntry {
        Set(Cluster cluster, String alias) {
            super(cluster, alias, Backend.SET);
        }

        @Override
        public void insert(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            exec(() -> store().setInsert(alias, v));
        }

        @Override
        public void erase(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            exec(() -> store().setErase(alias, v));
        }

        @Override
        public boolean contains(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            return run(() -> store().setContains(alias, v));
        }

        @Override
        public CompletableFuture<Void> insertAsync(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            return cluster.async(p -> p.setInsertAsync(alias, v), () -> {
                store().setInsert(alias, v);
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> eraseAsync(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            return asyncVoid(() -> store().setErase(alias, v));
        }

        @Override
        public CompletableFuture<Boolean> containsAsync(byte[] value) {
            byte[] v = Cluster.checkValue(value, "value");
            return cluster.async(p -> p.setContainsAsync(alias, v), () -> store().setContains(alias, v));
        }

        @Override
        public long size() {
            return run(() -> store().setSize(alias));
        }

        @Override
        public CompletableFuture<Long> sizeAsync() {
            return async(() -> store().setSize(alias));
        }

        @Override
        public List<byte[]> members() {
            return run(() -> store().setMembers(alias));
        }

        @Override
        public CompletableFuture<List<byte[]>> membersAsync() {
            return async(() -> store().setMembers(alias));
        }
    }

    static final class Batch implements WriteBatch {
        private final Cluster cluster;
        private final List<BatchOp> ops = new ArrayList<>();
        private boolean committed;

        Batch(Cluster cluster) {
            this.cluster = cluster;
        }

        private Batch add(BatchOp op) {
            if (committed) {
                throw new IllegalStateException("batch already committed: make a new one with Cluster.batch()");
            }
            ops.add(op);
            return this;
        }

        private static String alias(String alias) {
            return Cluster.checkName(alias, "alias");
        }

        @Override
        public WriteBatch putBlob(String alias, byte[] value) {
            return add(BatchOp.write(alias(alias), Backend.BLOB, Cluster.checkValue(value, "value"),
                    Backend.NEVER, true));
        }

        @Override
        public WriteBatch updateBlob(String alias, byte[] value) {
            return add(BatchOp.write(alias(alias), Backend.BLOB, Cluster.checkValue(value, "value"),
                    Backend.NEVER, false));
        }

        @Override
        public WriteBatch putInteger(String alias, long value) {
            return add(BatchOp.write(alias(alias), Backend.INTEGER, Keys8.of(value), Backend.NEVER, true));
        }

        @Override
        public WriteBatch updateInteger(String alias, long value) {
            return add(BatchOp.write(alias(alias), Backend.INTEGER, Keys8.of(value), Backend.NEVER, false));
        }

        @Override
        public WriteBatch add(String alias, long delta) {
            return add(BatchOp.add(alias(alias), delta));
        }

        @Override
        public WriteBatch pushBack(String alias, byte[] value) {
            return add(BatchOp.push(alias(alias), Cluster.checkValue(value, "value"), false));
        }

        @Override
        public WriteBatch insert(String alias, byte[] value) {
            return add(BatchOp.setInsert(alias(alias), Cluster.checkValue(value, "value")));
        }

        @Override
        public WriteBatch remove(String alias) {
            return add(BatchOp.remove(alias(alias)));
        }

        @Override
        public int size() {
            return ops.size();
        }

        private List<BatchOp> take() {
            if (committed) {
                throw new IllegalStateException("batch already committed: make a new one with Cluster.batch()");
            }
            committed = true;
            return List.copyOf(ops);
        }

        @Override
        public void commit() {
            List<BatchOp> writes = take();
            cluster.run(() -> {
                cluster.backend().batch(writes);
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> commitAsync() {
            List<BatchOp> writes = take();
            return cluster.async(() -> {
                cluster.backend().batch(writes);
                return null;
            });
        }

        @Override
        public String toString() {
            return "batch of " + ops.size() + " writes" + (committed ? ", committed" : "");
        }
    }

    static final class TagImpl implements Tag {
        private final Cluster cluster;
        private final String name;

        TagImpl(Cluster cluster, String name) {
            this.cluster = cluster;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> getEntries() {
            return cluster.run(() -> cluster.backend().entries(name));
        }

        @Override
        public CompletableFuture<List<String>> getEntriesAsync() {
            return cluster.async(() -> cluster.backend().entries(name));
        }

        @Override
        public String toString() {
            return "tag('" + name + "')";
        }
    }
}
