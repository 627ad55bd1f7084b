package dev.leakproof.core.internal;

import dev.leakproof.core.Site;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the creating call path with {@link StackWalker} (no {@code Throwable} is built) and interns
 * it, so that all creations from one call path share one {@link Site}.
 *
 * <p>Frames of leakproof's own ownership blocks are skipped: the first frame left is the line that asked
 * for the resource.
 *
 * <p>Design note. A site is identified by its innermost {@value #KEY_FRAMES} frames outside leakproof (fewer
 * when a dynamic call comes first, below). The key hashes each frame's class and bytecode index, which a walk gets without resolving method names; on
 * JDK 25 a resolved name costs more than the whole rest of the walk (see {@code StackCaptureBenchmark}).
 * The names are rarely needed: a frame's method is already fixed by its class and by the call instruction
 * at the bytecode index of the frame below it, which names the method (a virtual call names it too; the
 * frame's class then says whose). That fails only where the caller does not name the callee:
 * <ul>
 *   <li>dynamic invocation: reflection, method handles, FFM upcalls, JNI. Their frames (in
 *       {@code java.lang.invoke}, {@code jdk.internal.reflect}, {@code java.lang.reflect}, or native) are
 *       walked too ({@link StackWalker.Option#SHOW_HIDDEN_FRAMES}); the first one puts the name of the method
 *       it invoked into the key and ends the key there;
 *   <li>lambdas: the hidden proxy class between the caller and the lambda's body is one class per lambda
 *       expression, so its identity goes into the key;
 *   <li>a static initializer, which the VM runs from whatever instruction first touched its class. A key
 *       whose first site has {@code <clinit>} among its key frames is marked, and from then on resolves the
 *       names of its key frames.
 * </ul>
 * A key hit allocates nothing of its own. Only the first creation from a key walks and formats the deeper
 * stack, kept as the site's example stack. Two call paths that share their innermost frames share a site,
 * which is what "allocated at" means in a report.
 *
 * <p>Exactness. The hash is a lookup, never an identity: a walk also writes what it hashed (each key
 * frame's class and bytecode index, each proxy class, each method name) into a per-thread {@link KeyTrail},
 * and a hit counts only when the entry's trail is equal, class by class (compared by identity, held weakly so
 * that a site never keeps a class loader alive). Entries whose hashes collide are chained, so a collision
 * costs a second comparison, never a wrong culprit (the house rule: a key is checked on a hit).
 */
public final class SiteCapture {
    /** Frames kept per site: enough to see the caller's caller's caller, bounded to keep reports short. */
    public static final int MAX_FRAMES = 16;

    /** Frames outside leakproof that identify a site. */
    public static final int KEY_FRAMES = 4;
    private static final int MAX_BATCH = 32;
    /** A key's low bits count the frames its walk read. */
    private static final int COUNT_BITS = 8;

    private static final StackWalker WALKER = StackWalker.getInstance();
    /**
     * Key walkers by batch size: every frame in a batch costs a method lookup, and a frame past the batch costs a
     * second call into the VM, about as much again as the first. {@link #batch} learns the frames that captures
     * need (leakproof's own, usually five to eight, the key frames, and a hidden frame or two) and only grows.
     */
    private static final StackWalker[] KEY_WALKERS = new StackWalker[MAX_BATCH + 1];
    private static final int MIN_BATCH = 9;
    private static volatile int batch = MIN_BATCH;

    private static final int CALLER = 0;
    private static final int INFRASTRUCTURE_FRAME = 1;
    private static final int DISPATCH = 2;
    private static final int HIDDEN = 3;
    private static final ClassValue<Integer> ROLE = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return role(type);
        }
    };

    private static final ConcurrentHashMap<List<String>, Site> INTERNED = new ConcurrentHashMap<>();
    /** 56-bit hash of a site's key frames to the entries with that hash, each checked on a hit. */
    private static final ConcurrentHashMap<Long, Entry> BY_KEY = new ConcurrentHashMap<>();
    /** The same, with every key frame's method name, for keys whose entry is marked {@code namesNeeded}. */
    private static final ConcurrentHashMap<Long, Entry> BY_NAMED_KEY = new ConcurrentHashMap<>();
    private static final ThreadLocal<KeyTrail> TRAIL = ThreadLocal.withInitial(KeyTrail::new);
    /** And'ed with every key: all ones, except in a test that forces collisions ({@link #forceCollisions}). */
    private static long keyMask = -1L;
    /** leakproof-core's public classes whose frames are plumbing, not the caller (nested classes included). */
    private static final Set<String> INFRASTRUCTURE = Set.of("Tracking", "ResourceKind", "TrackedArena", "WorkQueue",
            "PooledWorkItem", "HandleTable", "LeakScope", "Site");
    private static final String CORE = "dev.leakproof.core.";

    static {
        for (int i = MIN_BATCH; i <= MAX_BATCH; i++) { // the batch never drops below MIN_BATCH
            KEY_WALKERS[i] = StackWalker.getInstance(
                    Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES), i);
        }
    }

    private SiteCapture() {
    }

    /** @return the current call site, interned */
    public static Site capture() {
        KeyTrail trail = TRAIL.get();
        try {
            return capture(trail);
        } finally {
            trail.reset(); // no class stays reachable from a thread after its capture
        }
    }

    /**
     * @return a site of one frame, the caller's line (leakproof's frames skipped): made once, where a site
     *         constant is declared, so the creations that pass it walk no stack
     */
    public static Site declaredHere() {
        List<String> frames = WALKER.walk(s -> s
                .dropWhile(f -> isInfrastructure(f.getClassName()))
                .limit(1)
                .map(SiteCapture::format)
                .toList());
        return frames.isEmpty() ? Site.UNKNOWN : new Site(frames);
    }

    private static Site capture(KeyTrail trail) {
        int size = batch;
        long walked = KEY_WALKERS[size].walk(trail.key);
        int read = (int) (walked & ((1 << COUNT_BITS) - 1));
        if (read > size) {
            batch = Math.min(read, MAX_BATCH); // a race may lose an increase; the next capture makes it again
        }
        long key = (walked >>> COUNT_BITS) & keyMask;
        Entry entry = find(BY_KEY.get(key), trail);
        if (entry == null) {
            return first(key, trail);
        }
        if (!entry.namesNeeded) {
            return entry.site;
        }
        long named = namedKeyHere(trail);
        entry = find(BY_NAMED_KEY.get(named), trail);
        return entry != null ? entry.site : add(BY_NAMED_KEY, named, trail, format(), false);
    }

    private static Site first(long key, KeyTrail trail) {
        Site site = format();
        int keyFrames = Math.min(KEY_FRAMES, site.frames().size());
        for (int i = 0; i < keyFrames; i++) {
            if (site.frames().get(i).contains(".<clinit>(")) {
                add(BY_KEY, key, trail, site, true);
                return add(BY_NAMED_KEY, namedKeyHere(trail), trail, site, false);
            }
        }
        return add(BY_KEY, key, trail, site, false);
    }

    /** @return the entry of {@code chain} whose trail equals {@code trail}, or null */
    private static Entry find(Entry chain, KeyTrail trail) {
        for (Entry e = chain; e != null; e = e.next) {
            if (e.matches(trail)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Adds {@code site} under {@code key} for {@code trail}, unless a racing capture added the same trail
     * first.
     *
     * @param namesNeeded marks the entry (new or found) as one whose creations also look up their named key
     * @return the site now stored for {@code trail}
     */
    private static Site add(ConcurrentHashMap<Long, Entry> table, long key, KeyTrail trail, Site site,
            boolean namesNeeded) {
        Site[] stored = new Site[1];
        table.compute(key, (k, chain) -> {
            Entry found = find(chain, trail);
            if (found != null) {
                found.namesNeeded |= namesNeeded;
                stored[0] = found.site;
                return chain;
            }
            stored[0] = site;
            return new Entry(trail, site, namesNeeded, chain);
        });
        return stored[0];
    }

    /**
     * Makes every key collide (test hook): captures then rely on the trail check alone.
     *
     * @param on whether keys collide from now on
     */
    static void forceCollisions(boolean on) {
        keyMask = on ? 0L : -1L;
    }

    private static Site format() {
        List<String> frames = WALKER.walk(s -> s
                .dropWhile(f -> isInfrastructure(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(SiteCapture::format)
                .toList());
        return frames.isEmpty() ? Site.UNKNOWN : INTERNED.computeIfAbsent(frames, Site::new);
    }

    /** Walks again, hashing every key frame's method name too; {@code trail} holds the named walk after. */
    private static long namedKeyHere(KeyTrail trail) {
        trail.reset();
        return (KEY_WALKERS[batch].walk(trail.namedKey) >>> COUNT_BITS) & keyMask;
    }

    private static long hash(Stream<StackWalker.StackFrame> frames, boolean allNames, KeyTrail trail) {
        long h = 1125899906842597L;
        int n = 0;
        StackWalker.StackFrame last = null;
        boolean lastNamed = false;
        int read = 0;
        var it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            read++;
            Class<?> c = f.getDeclaringClass();
            int role = ROLE.get(c);
            if (role == DISPATCH || f.isNativeMethod()) {
                if (last == null) {
                    continue;
                }
                // the frame above was invoked by something that does not name it: its name goes in. The key
                // ends here: below a dynamic call lies the machinery that made it (a test engine, a framework),
                // the same for every method it calls, and walking it would cost a second batch of frames
                if (!lastNamed) {
                    String name = last.getMethodName();
                    h = 31 * h + name.hashCode();
                    trail.add(name, NAME);
                }
                break;
            }
            if (role == HIDDEN) {
                // a lambda's proxy: one class per lambda expression, so it tells lambdas of one class apart
                h = 31 * h + System.identityHashCode(c);
                trail.add(c, PROXY);
                continue;
            }
            if (n == 0 && role == INFRASTRUCTURE_FRAME) {
                continue;
            }
            int bci = f.getByteCodeIndex();
            h = 31 * h + System.identityHashCode(c);
            h = 31 * h + bci;
            trail.add(c, bci);
            if (allNames) {
                String name = f.getMethodName();
                h = 31 * h + name.hashCode();
                trail.add(name, NAME);
            }
            last = f;
            lastNamed = allNames;
            if (++n == KEY_FRAMES) {
                // the last key frame's method is left to its class and bytecode index: looking further for
                // its invoker would walk into a second batch
                break;
            }
        }
        return h << COUNT_BITS | Math.min(read, (1 << COUNT_BITS) - 1);
    }

    private static int role(Class<?> type) {
        String name = type.getName();
        if (name.startsWith("java.lang.invoke.") || name.startsWith("jdk.internal.reflect.")
                || name.startsWith("java.lang.reflect.")) {
            return DISPATCH;
        }
        if (isInfrastructure(name)) {
            return INFRASTRUCTURE_FRAME;
        }
        return type.isHidden() ? HIDDEN : CALLER;
    }

    static boolean isInfrastructure(String className) {
        // java.lang.foreign: Arena's default allocate methods sit between the caller and TrackedArena
        if (className.startsWith("java.lang.foreign.")) {
            return true;
        }
        if (!className.startsWith(CORE)) {
            return false;
        }
        if (className.startsWith("internal.", CORE.length())) {
            return true;
        }
        int end = className.indexOf('$', CORE.length());
        return INFRASTRUCTURE.contains(className.substring(CORE.length(), end < 0 ? className.length() : end));
    }

    private static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + '.' + f.getMethodName() + '('
                + (file == null ? "Unknown Source" : line >= 0 ? file + ':' + line : file) + ')';
    }

    /** Trail marks: a bytecode index is never negative. */
    private static final int PROXY = -1;
    private static final int NAME = -2;

    /**
     * What one walk hashed, in order: classes (with a bytecode index, or {@link #PROXY}) and method names
     * ({@link #NAME}). One per thread, reused, so a hit allocates nothing.
     */
    private static final class KeyTrail {
        Object[] refs = new Object[2 * KEY_FRAMES + 2];
        int[] marks = new int[refs.length];
        int length;
        // made once per thread: a method reference bound to this trail would be a new object per walk
        final Function<Stream<StackWalker.StackFrame>, Long> key = frames -> hash(frames, false, this);
        final Function<Stream<StackWalker.StackFrame>, Long> namedKey = frames -> hash(frames, true, this);

        void reset() {
            Arrays.fill(refs, 0, length, null);
            length = 0;
        }

        void add(Object ref, int mark) {
            if (length == refs.length) {
                refs = Arrays.copyOf(refs, 2 * length);
                marks = Arrays.copyOf(marks, 2 * length);
            }
            refs[length] = ref;
            marks[length++] = mark;
        }
    }

    /** One site under one key: the trail that names it, classes held weakly; entries of one key chain. */
    private static final class Entry {
        final Object[] refs;
        final int[] marks;
        final Site site;
        final Entry next;
        volatile boolean namesNeeded;

        Entry(KeyTrail trail, Site site, boolean namesNeeded, Entry next) {
            refs = new Object[trail.length];
            for (int i = 0; i < refs.length; i++) {
                Object r = trail.refs[i];
                refs[i] = r instanceof Class<?> c ? new WeakReference<Class<?>>(c) : r;
            }
            marks = Arrays.copyOf(trail.marks, trail.length);
            this.site = site;
            this.namesNeeded = namesNeeded;
            this.next = next;
        }

        boolean matches(KeyTrail trail) {
            if (trail.length != refs.length) {
                return false;
            }
            for (int i = 0; i < refs.length; i++) {
                if (marks[i] != trail.marks[i]) {
                    return false;
                }
                Object mine = refs[i];
                Object theirs = trail.refs[i];
                boolean same = mine instanceof WeakReference<?> w ? w.get() == theirs : mine.equals(theirs);
                if (!same) {
                    return false;
                }
            }
            return true;
        }
    }
}
