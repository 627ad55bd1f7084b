package dev.leakproof.core.internal;

/** Test-only access to {@link SiteCapture}'s package-private hooks, for tests whose frames lie outside {@code internal}. */
public final class SiteCaptureHooks {
    private SiteCaptureHooks() {
    }

    /** @param on whether every site key collides from now on (see {@code SiteCapture.forceCollisions}) */
    public static void forceCollisions(boolean on) {
        SiteCapture.forceCollisions(on);
    }
}
