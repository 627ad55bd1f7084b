package dev.leakproof.junit;

import dev.leakproof.soak.Probe;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says once per JVM what a test JVM lacks for the native probes: Native Memory Tracking cannot be switched on
 * after start-up, so the extension cannot set it up itself; it tells the user the surefire {@code argLine}.
 */
final class NativeMemoryTrackingNotice {
    private static final AtomicBoolean CHECKED = new AtomicBoolean();
    static final String ARG_LINE = "-XX:NativeMemoryTracking=summary --enable-native-access=ALL-UNNAMED";

    private NativeMemoryTrackingNotice() {
    }

    static void once(PrintStream out) {
        if (!CHECKED.compareAndSet(false, true)) {
            return; // the JVM's flags do not change: one look is enough
        }
        for (Probe p : Probe.builtIns()) {
            if (p.name().equals("native-libs") && !p.availability().available()) {
                out.println("leakproof: the native-libs probe is off in this test JVM (" + p.availability().reason()
                        + "), so native leaks are judged on native-malloc alone, which includes the JVM's own "
                        + "memory. Add to the maven-surefire-plugin configuration: <argLine>" + ARG_LINE
                        + "</argLine>");
            }
        }
    }
}
