package dev.leakproof.core.internal;

import dev.leakproof.core.Site;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Captures the creating call path with {@link StackWalker} (no {@code Throwable} is built) and interns
 * it, so that all creations from one call path share one {@link Site}.
 *
 * <p>Frames of leakproof's own ownership blocks are skipped: the first frame left is the line that asked
 * for the resource.
 */
public final class SiteCapture {
    /** Frames kept per site: enough to see the caller's caller's caller, bounded to keep reports short. */
    public static final int MAX_FRAMES = 16;

    /** Frames outside leakproof that identify a site. */
    public static final int KEY_FRAMES = 4;
    /** Key frames whose method name is part of the key. */
    private static final int NAMED_FRAMES = 2;

    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Sized for leakproof's own frames (up to 7) plus the key frames, so one small batch usually suffices. */
    private static final StackWalker KEY_WALKER =
            StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE), 12);
    private static final ConcurrentHashMap<List<String>, Site> INTERNED = new ConcurrentHashMap<>();
    /** 64-bit hash of a site's key frames to the site; a collision is astronomically rare. */
    private static final ConcurrentHashMap<Long, Site> BY_HASH = new ConcurrentHashMap<>();
    /** leakproof-core's public classes whose frames are plumbing, not the caller (nested classes included). */
    private static final Set<String> INFRASTRUCTURE = Set.of("Tracking", "TrackedArena", "WorkQueue",
            "PooledWorkItem", "HandleTable", "LeakScope");
    private static final String CORE = "dev.leakproof.core.";

    private SiteCapture() {
    }

    /**
     * @return the current call site, interned
     *
     * <p>Design note: a site is identified by its innermost {@value #KEY_FRAMES} frames outside leakproof
     * (class and bytecode index; method name for the innermost two), hashed while walking only as deep as that, with a walker whose batch
     * is sized for it; a hit allocates nothing of its own. Only the first creation from a site walks and
     * formats the deeper stack, kept as the site's example stack. Two call paths that share their innermost
     * frames share a site, which is what "allocated at" means in a report.
     */
    public static Site capture() {
        long key = KEY_WALKER.walk(SiteCapture::hashTop);
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

    private static long hashTop(java.util.stream.Stream<StackWalker.StackFrame> s) {
        long h = 1125899906842597L;
        int n = 0;
        var it = s.iterator();
        while (it.hasNext() && n < KEY_FRAMES) {
            StackWalker.StackFrame f = it.next();
            Class<?> c = f.getDeclaringClass();
            if (n == 0 && isInfrastructure(c.getName())) {
                continue;
            }
            // class and bytecode index for every key frame, the method name only for the innermost two:
            // resolving names is most of a walk's cost, and below the second frame a (class, bci) pair under
            // two named frames almost never stands for two different paths
            h = 31 * h + System.identityHashCode(c);
            h = 31 * h + f.getByteCodeIndex();
            if (n < NAMED_FRAMES) {
                h = 31 * h + f.getMethodName().hashCode();
            }
            n++;
        }
        return h;
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
