package dev.leakproof.corpus.holdout2;

import dev.leakproof.corpus.Expect;
import dev.leakproof.corpus.Truth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway that builds one {@link HttpClient} per upstream host and caches it by host name, never closing or
 * evicting it; a new upstream host (a new tenant's service) appears every 600 iterations. Each JDK
 * {@code HttpClient} starts its own selector-manager thread when it is built, and that thread lives as long as the
 * client is reachable, so every cached client keeps one platform thread (and its selector's descriptors): one
 * thread per 600 iterations, never stopped — a thread leak. Each iteration builds the request it would send to the
 * current upstream (nothing is sent: the leak needs no traffic).
 */
@Expect(verdict = Truth.LEAK, probe = "threads", perIteration = 1.0 / 600,
        culprit = "HttpClient|SelectorManager", userFrame = "HttpClientPerUpstream",
        summary = "a java.net.http.HttpClient per upstream host (every 600 iterations) cached, never closed")
public final class HttpClientPerUpstream implements Runnable, AutoCloseable {
    private final Toil toil = new Toil();
    private final Map<String, HttpClient> clients = new HashMap<>();
    private long calls;
    private long built;

    /** No client until the first call. */
    public HttpClientPerUpstream() {
    }

    @Override
    public void run() {
        toil.request();
        String host = "svc-" + (calls++ / 600) + ".upstream.invalid";
        HttpClient client = clients.computeIfAbsent(host, h -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).build());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + "/quote")).GET().build();
        if (client.connectTimeout().isPresent() && request.uri() != null) {
            built++;
        }
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
    }
}
