package dev.leakproof.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakproof.core.internal.SiteCapture;
import dev.leakproof.core.internal.SiteCaptureHooks;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Lives outside {@code internal} because frames there count as leakproof's own and are skipped.
 *
 * <p>Sites are keyed by class and bytecode index without method names; these are the call shapes where that
 * alone would merge two methods of one class at the same bytecode index, called from one instruction.
 */
class SiteCaptureTest {

    // twin methods: same class, same body, so the capture sits at the same bytecode index in both
    static Site twinA() {
        return SiteCapture.capture();
    }

    static Site twinB() {
        return SiteCapture.capture();
    }

    @Test
    void oneLineIsOneSite() {
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sites.add(twinA());
        }
        assertSame(sites.get(0), sites.get(1));
        assertSame(sites.get(0), sites.get(2));
        assertTrue(sites.get(0).topFrame().contains("SiteCaptureTest.twinA("), sites.get(0).topFrame());
    }

    @Test
    void lambdasOfOneClassCalledFromOneInstructionAreDifferentSites() {
        List<Supplier<Site>> makers = List.of(() -> SiteCapture.capture(), () -> SiteCapture.capture());
        List<Site> sites = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (Supplier<Site> maker : makers) {
                sites.add(maker.get());
            }
        }
        assertDistinctPairRepeated(sites);
        assertTrue(sites.get(0).topFrame().contains("lambda$"), sites.get(0).topFrame());
    }

    @Test
    void methodsInvokedByReflectionFromOneInstructionAreDifferentSites() throws Exception {
        List<Method> methods = List.of(SiteCaptureTest.class.getDeclaredMethod("twinA"),
                SiteCaptureTest.class.getDeclaredMethod("twinB"));
        List<Site> sites = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (Method m : methods) {
                sites.add((Site) m.invoke(null));
            }
        }
        assertDistinctPairRepeated(sites);
        assertTrue(sites.get(0).topFrame().contains("twinA("), sites.get(0).topFrame());
        assertTrue(sites.get(1).topFrame().contains("twinB("), sites.get(1).topFrame());
    }

    @Test
    void methodsInvokedByMethodHandleFromOneInstructionAreDifferentSites() throws Throwable {
        MethodType type = MethodType.methodType(Site.class);
        List<MethodHandle> handles = List.of(MethodHandles.lookup().findStatic(SiteCaptureTest.class, "twinA", type),
                MethodHandles.lookup().findStatic(SiteCaptureTest.class, "twinB", type));
        List<Site> sites = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (MethodHandle h : handles) {
                sites.add((Site) h.invokeExact());
            }
        }
        assertDistinctPairRepeated(sites);
        assertTrue(sites.get(0).topFrame().contains("twinA("), sites.get(0).topFrame());
        assertTrue(sites.get(1).topFrame().contains("twinB("), sites.get(1).topFrame());
    }

    static final class Init {
        // <clinit> captures at bytecode index 0, like later(); the VM runs <clinit> from the first call to later()
        static final Site AT_INIT = SiteCapture.capture();

        static Site later() {
            return SiteCapture.capture();
        }
    }

    @Test
    void aStaticInitializerAndAMethodOfItsClassAreDifferentSites() {
        List<Site> later = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            later.add(Init.later());
        }
        assertTrue(Init.AT_INIT.topFrame().contains("Init.<clinit>("), Init.AT_INIT.topFrame());
        assertTrue(later.get(0).topFrame().contains("Init.later("), later.get(0).topFrame());
        assertSame(later.get(0), later.get(1));
        assertSame(later.get(0), later.get(2));
    }

    static Site collidingA() {
        return SiteCapture.capture();
    }

    static Site collidingB() {
        return SiteCapture.capture();
    }

    @Test
    void aKeyCollisionNeverNamesTheWrongSite() {
        SiteCaptureHooks.forceCollisions(true); // every key is 0 from here: only the check on a hit tells sites apart
        try {
            List<Site> sites = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                sites.add(collidingA());
                sites.add(collidingB());
            }
            assertDistinctPairRepeated(sites);
            assertTrue(sites.get(0).topFrame().contains("collidingA("), sites.get(0).topFrame());
            assertTrue(sites.get(1).topFrame().contains("collidingB("), sites.get(1).topFrame());
            // a site first seen before the collisions keeps its identity through the colliding table
            assertTrue(twinA().topFrame().contains("twinA("));
            assertSame(twinA(), twinA());
        } finally {
            SiteCaptureHooks.forceCollisions(false);
        }
    }

    /** sites = [a, b, a', b'] from two rounds over two makers: a != b, and each round gives the same pair. */
    private static void assertDistinctPairRepeated(List<Site> sites) {
        assertEquals(4, sites.size());
        assertNotSame(sites.get(0), sites.get(1), sites.get(0) + " / " + sites.get(1));
        assertSame(sites.get(0), sites.get(2));
        assertSame(sites.get(1), sites.get(3));
    }
}
