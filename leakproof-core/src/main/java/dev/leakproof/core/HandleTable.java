package dev.leakproof.core;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Java objects referred to by native code through 64-bit ids: the state pointer of an upcall, the
 * context of a native callback.
 * {@snippet :
 * HandleTable table = HandleTable.create("merge-operators");
 * Handle<MergeOperator> handle = table.pin(operator);
 * MemorySegment state = MemorySegment.ofAddress(handle.id());   // what native code keeps
 * // ... in the upcall:
 * MergeOperator op = table.resolve(state.address(), MergeOperator.class);
 * // ... when native code is done with it:
 * handle.release();
 * }
 *
 * <p>Ids are never reused and carry a tag of their table, so a stale or foreign id resolves to an
 * {@link IllegalStateException}, never to another object and never to a crash. The table holds pinned
 * objects strongly and the {@link Handle} weakly: a handle dropped unreleased is reported as a leak of kind
 * {@value #HANDLE_KIND} with its pinning site, and its object stays pinned, as it would in native code.
 */
public final class HandleTable {
    /** Resource kind under which handles are tracked. */
    public static final String HANDLE_KIND = "handle";
    private static final ResourceKind HANDLES = Tracking.kind(HANDLE_KIND, "handle pinned in a HandleTable, for native code to refer to");

    private static final AtomicInteger TABLE_TAGS = new AtomicInteger();
    private static final int TAG_SHIFT = 48;
    private static final long SEQUENCE_MASK = (1L << TAG_SHIFT) - 1;

    private final String name;
    private final long tag;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<Long, Object> pinned = new ConcurrentHashMap<>();

    private HandleTable(String name) {
        this.name = name;
        // tag 0 is never used, so that id 0 (a NULL pointer from native code) never resolves
        this.tag = ((TABLE_TAGS.incrementAndGet() & 0x7FFF) | 0x8000L) << TAG_SHIFT;
    }

    /**
     * @param name names the table in messages and reports
     * @return an empty table
     * @throws NullPointerException if {@code name} is null
     */
    public static HandleTable create(String name) {
        return new HandleTable(Objects.requireNonNull(name, "name"));
    }

    /** @return the table's name */
    public String name() {
        return name;
    }

    /**
     * Pins {@code object} and returns its handle.
     *
     * @param object what native code will refer to
     * @param <T>    its type
     * @return a new handle with a fresh id
     * @throws NullPointerException if {@code object} is null
     */
    public <T> Handle<T> pin(T object) {
        Objects.requireNonNull(object, "object");
        long seq = sequence.incrementAndGet();
        if (seq > SEQUENCE_MASK) {
            throw new IllegalStateException("handle table '" + name + "' ran out of ids after 2^48 pins");
        }
        long id = tag | seq;
        pinned.put(id, object);
        PinnedHandle<T> handle = new PinnedHandle<>(this, id, object);
        handle.token = HANDLES.track(0, handle);
        return handle;
    }

    /**
     * @param id an id from {@link Handle#id()}
     * @return the pinned object
     * @throws IllegalStateException if the id was released, is unknown, or belongs to another table
     */
    public Object resolve(long id) {
        Object o = pinned.get(id);
        if (o == null) {
            throw unresolved(id);
        }
        return o;
    }

    /**
     * @param id   an id from {@link Handle#id()}
     * @param type the expected type
     * @param <T>  that type
     * @return the pinned object
     * @throws IllegalStateException    if the id was released, is unknown, or belongs to another table
     * @throws IllegalArgumentException if the object is not of {@code type}
     */
    public <T> T resolve(long id, Class<T> type) {
        Object o = resolve(id);
        if (!type.isInstance(o)) {
            throw new IllegalArgumentException("handle " + Long.toHexString(id) + " of table '" + name + "' pins a "
                    + o.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(o);
    }

    /** @return how many objects are pinned now */
    public int size() {
        return pinned.size();
    }

    private IllegalStateException unresolved(long id) {
        if ((id & ~SEQUENCE_MASK) != tag) {
            return new IllegalStateException("id 0x" + Long.toHexString(id) + " was not issued by handle table '"
                    + name + "' (a foreign, corrupted or NULL id)");
        }
        if ((id & SEQUENCE_MASK) <= sequence.get()) {
            return new IllegalStateException("handle 0x" + Long.toHexString(id) + " of table '" + name
                    + "' was released: native code kept an id past its release");
        }
        return new IllegalStateException("id 0x" + Long.toHexString(id) + " was never issued by handle table '"
                + name + "'");
    }

    /** The one Handle implementation. */
    static final class PinnedHandle<T> implements Handle<T> {
        private final HandleTable table;
        private final long id;
        private final T object;
        private volatile boolean released;
        private Tracked token;

        PinnedHandle(HandleTable table, long id, T object) {
            this.table = table;
            this.id = id;
            this.object = object;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public T get() {
            if (released) {
                throw new IllegalStateException("handle 0x" + Long.toHexString(id) + " of table '" + table.name
                        + "' was released");
            }
            return object;
        }

        @Override
        public boolean isReleased() {
            return released;
        }

        @Override
        public void release() {
            if (table.pinned.remove(id) == null) {
                throw new IllegalStateException("handle 0x" + Long.toHexString(id) + " of table '" + table.name
                        + "' released twice: the first release already unpinned it");
            }
            released = true;
            token.close();
        }

        @Override
        public String toString() {
            return "Handle[0x" + Long.toHexString(id) + " of '" + table.name + "'" + (released ? ", released]" : "]");
        }
    }
}
