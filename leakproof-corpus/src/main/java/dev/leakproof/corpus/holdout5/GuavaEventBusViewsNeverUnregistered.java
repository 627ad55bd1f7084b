package dev.leakproof.corpus.holdout5;

import com.google.common.eventbus.EventBus;
import com.google.common.eventbus.Subscribe;
import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;

/**
 * A request-scoped view that subscribes itself to the application's Guava {@link EventBus} (to refresh when an
 * order ships) and is never unregistered when its request ends: one view every 20 iterations. The bus's subscriber
 * registry keeps a {@code Subscriber} (target, method, executor) for each registered view in the copy-on-write set
 * of that event type, and through it the view and its 32-byte state, for ever; an event posted every 2,000
 * iterations reaches every view ever made. About 100 bytes per view (the view 56, its {@code Subscriber} 24 to 32,
 * a slot of the set's array 4), about 5 B per iteration, without bound: a small heap leak. Measured 4.60–4.64 B
 * in each interval (92 bytes per view), so the truth is 4.6.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 4.6,
        culprit = "eventbus|Subscriber|OrderView|CopyOnWrite|Object\\[\\]|byte\\[\\]",
        userFrame = "GuavaEventBusViewsNeverUnregistered", library = "Guava",
        summary = "a request's view registered on a Guava EventBus every 20 iterations, never unregistered")
public final class GuavaEventBusViewsNeverUnregistered implements Runnable {
    private final Mill mill = new Mill();
    private final EventBus bus = new EventBus("holdout5-orders");
    private long calls;

    /** An empty bus. */
    public GuavaEventBusViewsNeverUnregistered() {
    }

    @Override
    public void run() {
        mill.once();
        long n = calls++;
        if (n % 20 == 0) {
            bus.register(new OrderView(n)); // the request's view; nothing unregisters it when the request ends
        }
        if (n % 2_000 == 1_999) {
            bus.post(new OrderShipped(n));
        }
    }

    /** The event. */
    record OrderShipped(long order) {
    }

    /** A request's view of one order. */
    static final class OrderView {
        private final byte[] state = new byte[16];
        private long lastShipped;

        OrderView(long request) {
            state[0] = (byte) request;
        }

        /** @param e an order that shipped */
        @Subscribe
        public void onShipped(OrderShipped e) {
            lastShipped = e.order() + state[0];
        }
    }
}
