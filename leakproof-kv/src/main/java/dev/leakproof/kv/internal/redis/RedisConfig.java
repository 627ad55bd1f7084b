package dev.leakproof.kv.internal.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach a Redis Cluster, parsed from
 * {@code redis://[user:password@]host:port[,host:port...][?option=value&...]}.
 *
 * @param seeds                the seed nodes ({@code host:port}); the slot map is read from the first that answers
 * @param user                 the ACL user, or null for the default user
 * @param password             the password, or null for no {@code AUTH}
 * @param connectTimeoutMillis {@code connectTimeout}: longest TCP connect to one node
 * @param commandTimeoutMillis {@code commandTimeout}: longest wait for one reply, after which the connection
 *                             is dropped (a node that stops answering never hangs a thread)
 * @param connectionsPerNode   {@code connectionsPerNode}: idle connections kept per node (more are opened while
 *                             more threads call at once, and closed when returned beyond this)
 * @param replySpinMicros      {@code replySpin}: how long, in µs, a thread that sent a command polls the socket for
 *                             the reply before it blocks in the kernel's read (0: block at once)
 */
public record RedisConfig(List<String> seeds, String user, String password, long connectTimeoutMillis,
                          long commandTimeoutMillis, int connectionsPerNode, long replySpinMicros) {
    /** Default {@code connectTimeout}, ms. */
    public static final long CONNECT_TIMEOUT_MILLIS = 1000;
    /** Default {@code commandTimeout}, ms: a node's failover is detected after the 2000 ms node timeout. */
    public static final long COMMAND_TIMEOUT_MILLIS = 2000;
    /** Default {@code connectionsPerNode}. */
    public static final int CONNECTIONS_PER_NODE = 8;
    /**
     * Default {@code replySpin}, µs: about two round trips of a GET on loopback. A reply read by a thread that slept
     * in the kernel waits for its wake-up as well, on this VM most of a round trip (docs/BENCHMARKS.md).
     */
    public static final long REPLY_SPIN_MICROS = 50;
    /** The largest {@code replySpin}, µs. */
    public static final long MAX_REPLY_SPIN_MICROS = 1_000_000;

    /** @throws IllegalArgumentException if a value is out of range */
    public RedisConfig {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a Redis Cluster URI needs at least one seed node host:port");
        }
        if (connectTimeoutMillis < 1 || commandTimeoutMillis < 1) {
            throw new IllegalArgumentException("connectTimeout and commandTimeout must be at least 1 ms");
        }
        if (connectionsPerNode < 1) {
            throw new IllegalArgumentException("connectionsPerNode must be at least 1, got " + connectionsPerNode);
        }
        if (replySpinMicros < 0 || replySpinMicros > MAX_REPLY_SPIN_MICROS) {
            throw new IllegalArgumentException("replySpin must be 0 to " + MAX_REPLY_SPIN_MICROS + " µs, got "
                    + replySpinMicros);
        }
    }

    /**
     * @param uri {@code redis://[user:password@]host:port[,host:port...][?connectTimeout=ms&commandTimeout=ms&connectionsPerNode=n&replySpin=µs]}
     * @return the configuration
     * @throws IllegalArgumentException naming what is wrong: the scheme, a seed without a port, a bad option
     */
    public static RedisConfig parse(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if ("rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("TLS (rediss://) is not supported yet by the Redis Cluster backend: "
                    + "use redis:// on a trusted network");
        }
        if (!"redis".equals(uri.getScheme())) {
            throw new IllegalArgumentException("expected a redis://host:port[,host:port...] URI, got scheme '"
                    + uri.getScheme() + "' in " + uri);
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("the URI " + uri + " names no host: expected redis://host:port[,host:port...]");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("a Redis Cluster URI has no path (cluster mode has one database), got '"
                    + uri.getRawPath() + "' in " + uri);
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        List<String> seeds = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            int colon = part.lastIndexOf(':');
            if (part.isEmpty() || colon <= 0 || colon == part.length() - 1) {
                throw new IllegalArgumentException("seed '" + part + "' of " + uri + " is not host:port");
            }
            int port;
            try {
                port = Integer.parseInt(part.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seed '" + part + "' of " + uri + " has no numeric port", e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("seed '" + part + "' of " + uri + ": port " + port + " is out of range");
            }
            seeds.add(part);
        }
        long connect = CONNECT_TIMEOUT_MILLIS;
        long command = COMMAND_TIMEOUT_MILLIS;
        int perNode = CONNECTIONS_PER_NODE;
        long spin = REPLY_SPIN_MICROS;
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String key = eq < 0 ? kv : kv.substring(0, eq);
                String value = eq < 0 ? "" : decode(kv.substring(eq + 1));
                switch (key) {
                    case "connectTimeout" -> connect = number(key, value, uri);
                    case "commandTimeout" -> command = number(key, value, uri);
                    case "connectionsPerNode" -> perNode = (int) number(key, value, uri);
                    case "replySpin" -> spin = micros(value, uri);
                    default -> throw new IllegalArgumentException("unknown option '" + key + "' in " + uri
                            + ": known are connectTimeout (ms), commandTimeout (ms), connectionsPerNode, "
                            + "replySpin (µs)");
                }
            }
        }
        return new RedisConfig(seeds, user, password, connect, command, perNode, spin);
    }

    private static long number(String key, String value, URI uri) {
        try {
            long n = Long.parseLong(value);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + " must be 1 to " + Integer.MAX_VALUE + ", got " + n + " in " + uri);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "' in " + uri, e);
        }
    }

    private static long micros(String value, URI uri) {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > MAX_REPLY_SPIN_MICROS) {
                throw new IllegalArgumentException("replySpin must be 0 to " + MAX_REPLY_SPIN_MICROS + " µs, got " + n
                        + " in " + uri);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("replySpin must be a whole number of µs, got '" + value + "' in " + uri,
                    e);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // never the password
        return "redis://" + (user != null ? user + ":***@" : password != null ? "***@" : "") + String.join(",", seeds);
    }
}
