package dev.leakproof.core.internal;

import dev.leakproof.core.Site;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Captures the creating call path with {@link StackWalker} (no {@code Throwable} is built) and interns
 * it, so that all creations from one call path share one {@link Site}.
 *
 * <p>Frames of leakproof's own ownership blocks, and of classes a driver registers as infrastructure
 * (its binding helpers), are skipped: the first frame left is the line that asked for the resource.
 */
public final class SiteCapture {
    /** Frames kept per site: enough to see the caller's caller's caller, bounded to keep reports short. */
    public static final int MAX_FRAMES = 16;

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final ConcurrentHashMap<List<String>, Site> INTERNED = new ConcurrentHashMap<>();
    /** 64-bit hash of a call path's (class, method, bci) frames to its site; a collision is astronomically rare. */
    private static final ConcurrentHashMap<Long, Site> BY_HASH = new ConcurrentHashMap<>();
    private static final Set<String> INFRASTRUCTURE = ConcurrentHashMap.newKeySet();

    static {
        for (String name : List.of("Tracking", "TrackedArena", "WorkQueue", "PooledWorkItem", "HandleTable",
                "HandleTable$PinnedHandle", "LeakScope")) {
            INFRASTRUCTURE.add("dev.leakproof.core." + name);
        }
    }

    private SiteCapture() {
    }

    /**
     * Declares a class whose frames are not the culprit but plumbing (for example a driver's binding
     * helper), so that the frame that called it is reported instead. Nested classes are included.
     *
     * @param className binary name of the class
     */
    public static void addInfrastructure(String className) {
        INFRASTRUCTURE.add(className);
    }

    /**
     * @return the current call path, interned
     *
     * <p>A hit costs one stack walk and no allocation beyond the walker's own: frames are hashed by class,
     * method and bytecode index (Strings cache their hash codes), and only a miss formats them.
     */
    public static Site capture() {
        long key = WALKER.walk(s -> {
            long h = 1125899906842597L;
            int n = 0;
            var it = s.iterator();
            while (it.hasNext() && n < MAX_FRAMES) {
                StackWalker.StackFrame f = it.next();
                if (n == 0 && isInfrastructure(f.getClassName())) {
                    continue;
                }
                h = 31 * h + f.getClassName().hashCode();
                h = 31 * h + f.getMethodName().hashCode();
                h = 31 * h + f.getByteCodeIndex();
                n++;
            }
            return h;
        });
        Site site = BY_HASH.get(key);
        if (site != null) {
            return site;
        }
        List<String> frames = WALKER.walk(s -> s
                .dropWhile(f -> isInfrastructure(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(SiteCapture::format)
                .toList());
        site = frames.isEmpty() ? Site.UNKNOWN : INTERNED.computeIfAbsent(frames, Site::new);
        BY_HASH.putIfAbsent(key, site);
        return site;
    }

    static boolean isInfrastructure(String className) {
        // java.lang.foreign: Arena's default allocate methods sit between the caller and TrackedArena
        if (className.startsWith("dev.leakproof.core.internal.") || className.startsWith("java.lang.foreign.")) {
            return true;
        }
        int dollar = className.indexOf('$');
        String outer = dollar < 0 ? className : className.substring(0, dollar);
        return INFRASTRUCTURE.contains(className) || INFRASTRUCTURE.contains(outer);
    }

    private static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + '.' + f.getMethodName() + '('
                + (file == null ? "Unknown Source" : line >= 0 ? file + ':' + line : file) + ')';
    }
}
