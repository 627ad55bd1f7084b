package dev.leakproof.core;

/**
 * Totals of one resource kind: every resource at FULL and inside scopes, the sampled ones at SAMPLED.
 *
 * @param liveCount   resources created and not yet released
 * @param liveBytes   bytes they hold
 * @param leakedCount resources whose owner was garbage-collected while unreleased (site-recording ones only)
 * @param leakedBytes bytes those still hold
 */
public record KindTotals(long liveCount, long liveBytes, long leakedCount, long leakedBytes) {
}
