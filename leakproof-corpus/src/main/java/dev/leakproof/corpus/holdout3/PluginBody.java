package dev.leakproof.corpus.holdout3;

import java.util.function.LongUnaryOperator;

/**
 * The code of a plugin for {@link PluginJarLoadersKept}: its class file is copied into each plugin jar and
 * loaded from there by a fresh loader whose parent is the boot loader, so it may use {@code java.base} only.
 */
public final class PluginBody implements LongUnaryOperator {
    /** The plugin's entry point, made reflectively by the host. */
    public PluginBody() {
    }

    @Override
    public long applyAsLong(long x) {
        return Long.rotateLeft(x * 0x9E3779B97F4A7C15L, 17);
    }
}
