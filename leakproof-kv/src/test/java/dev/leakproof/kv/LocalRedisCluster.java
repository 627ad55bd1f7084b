package dev.leakproof.kv;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local Redis Cluster of {@code scripts/redis-cluster.sh} (3 masters + 3 replicas on 127.0.0.1:7101-7106)
 * for the Redis backend's tests: started through the script when it is not up (installing redis-server and
 * libhiredis from apt if missing), and stopped when the test JVM ends if this fixture started it. Tests are
 * skipped, with the script's own message, only when the script says it cannot install on this machine
 * (exit 3); any other failure to start fails them.
 */
public final class LocalRedisCluster implements BeforeAllCallback {
    private static final Path SCRIPT = locate();
    private static URI uri;
    private static String unavailable;

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(ensure() != null, () -> "Redis Cluster tests skipped: " + unavailable);
    }

    /** @return the seed URI of the running cluster, or null when it cannot be installed here */
    public static synchronized URI ensure() {
        if (uri != null || unavailable != null) {
            return uri;
        }
        Result status = script("status");
        boolean started = false;
        if (status.exit != 0) {
            Result start = script("start");
            if (start.exit == 3) {
                unavailable = start.output.strip();
                return null;
            }
            if (start.exit != 0) {
                throw new IllegalStateException("scripts/redis-cluster.sh start failed (exit " + start.exit + "): "
                        + start.output);
            }
            started = true;
        }
        uri = URI.create(script("uri").output.strip());
        if (started) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> script("stop"), "redis-cluster-stop"));
        }
        return uri;
    }

    /** @return the seed URI with query options appended */
    public static URI uri(String query) {
        return URI.create(ensure() + (query.isEmpty() ? "" : "?" + query));
    }

    /** Waits (in the script, up to 30 s) until the cluster is ok again, after a test stopped or killed a node. */
    public static void awaitOk() {
        Result r = script("wait");
        if (r.exit != 0) {
            throw new IllegalStateException("the local Redis Cluster did not recover: " + r.output);
        }
    }

    /** Stops and starts the cluster afresh (after a test killed a node for good). */
    public static void restart() {
        script("stop");
        Result r = script("start");
        if (r.exit != 0) {
            throw new IllegalStateException("restarting the local Redis Cluster failed: " + r.output);
        }
    }

    /** @return the pid of the node on {@code port} */
    public static long pid(int port) {
        Result r = run(List.of("bash", SCRIPT.toString(), "pid", Integer.toString(port)));
        if (r.exit != 0) {
            throw new IllegalStateException(r.output);
        }
        return Long.parseLong(r.output.strip());
    }

    /** @return the lines {@code redis-cli -p port args...} printed */
    public static List<String> cli(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd).output.lines().toList();
    }

    public record Result(int exit, String output) {
    }

    private static Result script(String command) {
        return run(List.of("bash", SCRIPT.toString(), command));
    }

    public static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static Path locate() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts/redis-cluster.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/redis-cluster.sh not found above " + Path.of("").toAbsolutePath());
    }
}
