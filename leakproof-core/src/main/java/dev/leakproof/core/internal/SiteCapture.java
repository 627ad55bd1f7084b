package dev.leakproof.core.internal;

import dev.leakproof.core.Site;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Marks a key whose creations must also hash their key frames' method names (see the design note). */
    private static final Site NAMES_NEEDED = new Site(List.of("<names needed>"));
    private static final ConcurrentHashMap<List<String>, Site> INTERNED = new ConcurrentHashMap<>();
    /** 56-bit key of a site's key frames to the site; a collision is astronomically rare. */
    private static final ConcurrentHashMap<Long, Site> BY_KEY = new ConcurrentHashMap<>();
    /** The same, with every key frame's method name hashed, for keys marked {@link #NAMES_NEEDED}. */
    private static final ConcurrentHashMap<Long, Site> BY_NAMED_KEY = new ConcurrentHashMap<>();
    /** leakproof-core's public classes whose frames are plumbing, not the caller (nested classes included). */
    private static final Set<String> INFRASTRUCTURE = Set.of("Tracking", "TrackedArena", "WorkQueue",
            "PooledWorkItem", "HandleTable", "LeakScope");
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
        int size = batch;
        long walked = KEY_WALKERS[size].walk(SiteCapture::key);
        int read = (int) (walked & ((1 << COUNT_BITS) - 1));
        if (read > size) {
            batch = Math.min(read, MAX_BATCH); // a race may lose an increase; the next capture makes it again
        }
        long key = walked >>> COUNT_BITS;
        Site site = BY_KEY.get(key);
        if (site == null) {
            return first(key);
        }
        if (site != NAMES_NEEDED) {
            return site;
        }
        long named = namedKeyHere();
        site = BY_NAMED_KEY.get(named);
        if (site != null) {
            return site;
        }
        site = format();
        Site raced = BY_NAMED_KEY.putIfAbsent(named, site);
        return raced == null ? site : raced;
    }

    private static Site first(long key) {
        Site site = format();
        int keyFrames = Math.min(KEY_FRAMES, site.frames().size());
        for (int i = 0; i < keyFrames; i++) {
            if (site.frames().get(i).contains(".<clinit>(")) {
                BY_NAMED_KEY.putIfAbsent(namedKeyHere(), site);
                BY_KEY.put(key, NAMES_NEEDED);
                return site;
            }
        }
        Site raced = BY_KEY.putIfAbsent(key, site);
        return raced == null || raced == NAMES_NEEDED ? site : raced;
    }

    private static Site format() {
        List<String> frames = WALKER.walk(s -> s
                .dropWhile(f -> isInfrastructure(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(SiteCapture::format)
                .toList());
        return frames.isEmpty() ? Site.UNKNOWN : INTERNED.computeIfAbsent(frames, Site::new);
    }

    private static long namedKeyHere() {
        return KEY_WALKERS[batch].walk(SiteCapture::namedKey) >>> COUNT_BITS;
    }

    private static long key(Stream<StackWalker.StackFrame> frames) {
        return hash(frames, false);
    }

    private static long namedKey(Stream<StackWalker.StackFrame> frames) {
        return hash(frames, true);
    }

    private static long hash(Stream<StackWalker.StackFrame> frames, boolean allNames) {
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
                    h = 31 * h + last.getMethodName().hashCode();
                }
                break;
            }
            if (role == HIDDEN) {
                // a lambda's proxy: one class per lambda expression, so it tells lambdas of one class apart
                h = 31 * h + System.identityHashCode(c);
                continue;
            }
            if (n == 0 && role == INFRASTRUCTURE_FRAME) {
                continue;
            }
            h = 31 * h + System.identityHashCode(c);
            h = 31 * h + f.getByteCodeIndex();
            if (allNames) {
                h = 31 * h + f.getMethodName().hashCode();
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
}
