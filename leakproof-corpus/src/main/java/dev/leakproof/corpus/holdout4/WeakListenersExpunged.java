package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The right way to keep subscribers a bus does not own: every 8 iterations a new session subscribes and the
 * application drops the old one without unsubscribing, but the bus holds each listener through a
 * {@link WeakReference} registered with a {@link ReferenceQueue}, and drains the queue on every subscribe, removing
 * the cleared references from its identity set. Sessions are collected, their references cleared and expunged:
 * the set holds the live session plus those not yet collected, bounded by the collector. The heap moves between
 * collections; nothing accumulates. The bus publishes once per 1,024 iterations to the listeners still alive.
 */
@Expect(verdict = Truth.NO_LEAK, probe = "heap",
        summary = "a session per 8 iterations subscribed through a WeakReference, expunged via a ReferenceQueue")
public final class WeakListenersExpunged implements Runnable {
    private final Mill mill = new Mill();
    private final WeakBus bus = new WeakBus();
    private Session session;
    private long calls;

    /** Connects the first session on the first call. */
    public WeakListenersExpunged() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 8 == 0) {
            session = new Session(calls);
            bus.subscribe(session);
        }
        if (calls % 1024 == 0) {
            bus.publish(mill.sink());
        }
        calls++;
    }

    /** A bus that does not keep its subscribers alive. */
    static final class WeakBus {
        private final ReferenceQueue<LongConsumer> cleared = new ReferenceQueue<>();
        private final Set<WeakReference<LongConsumer>> listeners = Collections.newSetFromMap(new IdentityHashMap<>());

        void subscribe(LongConsumer listener) {
            for (var r = cleared.poll(); r != null; r = cleared.poll()) {
                listeners.remove(r);
            }
            listeners.add(new WeakReference<>(listener, cleared));
        }

        void publish(long quote) {
            for (WeakReference<LongConsumer> r : listeners) {
                LongConsumer l = r.get();
                if (l != null) {
                    l.accept(quote);
                }
            }
        }
    }

    /** One connection's session, itself the listener. */
    static final class Session implements LongConsumer {
        private long last;

        Session(long id) {
            this.last = id;
        }

        @Override
        public void accept(long quote) {
            last ^= quote;
        }
    }
}
