package dev.leakproof.core;

/**
 * Counts of one {@link WorkQueue} at one moment.
 *
 * @param allocated items handed out by {@code allocate()} and neither submitted nor released yet
 * @param inFlight  items submitted whose after-work has not finished
 * @param pooled    items waiting in the pool for reuse
 * @param created   items created since the queue started
 * @param recycled  items taken back since the queue started
 */
public record WorkQueueStats(int allocated, int inFlight, int pooled, long created, long recycled) {
}
