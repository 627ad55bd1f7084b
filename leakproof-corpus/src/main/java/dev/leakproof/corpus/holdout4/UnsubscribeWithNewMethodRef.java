package dev.leakproof.corpus.holdout4;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A quote feed whose client reconnects every 8 iterations: each new {@code Session} subscribes to a long-lived
 * bus with {@code bus.subscribe(session::onQuote)} and unsubscribes the old one with
 * {@code bus.unsubscribe(old::onQuote)}. Every evaluation of a method reference makes a new object, and the bus
 * removes by identity, so the unsubscribe finds nothing and every session stays subscribed: per 8 iterations a
 * 24-byte {@code Session} (a header and one {@code long}), the 16-byte bound method reference and a 4-byte slot in
 * the bus' {@link ArrayList}, never removed — 44 bytes per reconnect, 5.5 B per iteration, plus the list's
 * growth slack. The bus publishes a quote to every subscriber once per 1,024 iterations, so the dead sessions are
 * called too.
 */
@Expect(verdict = Truth.LEAK, probe = "heap", perIteration = 5.5,
        culprit = "Session|UnsubscribeWithNewMethodRef|Bus|Object\\[\\]|ArrayList|Lambda",
        userFrame = "UnsubscribeWithNewMethodRef",
        summary = "a listener per reconnect (every 8 iterations); unsubscribe passes a new method ref, removes nothing")
public final class UnsubscribeWithNewMethodRef implements Runnable {
    private final Mill mill = new Mill();
    private final Bus bus = new Bus();
    private Session session;
    private long calls;

    /** Connects the first session on the first call. */
    public UnsubscribeWithNewMethodRef() {
    }

    @Override
    public void run() {
        mill.once();
        if (calls % 8 == 0) {
            Session old = session;
            session = new Session(calls);
            bus.subscribe(session::onQuote);
            if (old != null) {
                // the bug: a fresh method reference is a different object from the one subscribed
                bus.unsubscribe(old::onQuote);
            }
        }
        if (calls % 1024 == 0) {
            bus.publish(mill.sink());
        }
        calls++;
    }

    /** A tiny event bus: listeners in registration order, removed by identity. */
    static final class Bus {
        private final List<LongConsumer> listeners = new ArrayList<>();

        void subscribe(LongConsumer listener) {
            listeners.add(listener);
        }

        void unsubscribe(LongConsumer listener) {
            listeners.remove(listener);
        }

        void publish(long quote) {
            for (LongConsumer l : listeners) {
                l.accept(quote);
            }
        }
    }

    /** One connection's session: it counts the quotes it saw. */
    static final class Session {
        private long last;

        Session(long id) {
            this.last = id;
        }

        void onQuote(long quote) {
            last ^= quote;
        }
    }
}
