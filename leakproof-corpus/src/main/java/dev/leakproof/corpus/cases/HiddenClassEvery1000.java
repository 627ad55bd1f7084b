package dev.leakproof.corpus.cases;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * Every 1,000 iterations, defines a hidden class from the bytes of {@link Formula} (as a rule engine compiling an
 * expression per request would) and keeps the class in a list. A hidden class lives as long as its
 * {@code Class} object is reachable, so one class per 1,000 iterations stays loaded: a class leak, about 2 KB of
 * metaspace each and almost nothing on the heap.
 */
@Expect(verdict = Truth.LEAK, probe = "classes", perIteration = 1.0 / 1000, culprit = "HiddenClassEvery1000\\$Formula",
        userFrame = "", summary = "a hidden class defined from one template every 1,000 iterations, kept")
public final class HiddenClassEvery1000 implements Runnable {
    /** The template: a small class of its own. */
    static final class Formula {
        int x;

        int apply(int y) {
            return x * 31 + y;
        }
    }

    private static final byte[] TEMPLATE;

    static {
        try (InputStream in = HiddenClassEvery1000.class.getResourceAsStream("HiddenClassEvery1000$Formula.class")) {
            TEMPLATE = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Work work = new Work();
    private final List<Class<?>> compiled = new ArrayList<>();
    private long calls;

    /** Creates the case; nothing defined yet. */
    public HiddenClassEvery1000() {
    }

    @Override
    public void run() {
        work.request();
        if (++calls % 1000 == 0) {
            try {
                compiled.add(MethodHandles.lookup().defineHiddenClass(TEMPLATE, false).lookupClass());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
