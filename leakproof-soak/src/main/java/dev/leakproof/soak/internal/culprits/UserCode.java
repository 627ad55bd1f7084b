package dev.leakproof.soak.internal.culprits;

import java.util.List;
import java.util.Objects;

/**
 * Decides which stack frames are the user's own code: the frame a culprit is shown at.
 *
 * <p>A frame in the package of the soaked target (or a package below it) always wins. Otherwise the first
 * frame, innermost first, that is neither the JDK ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
 * {@code com.sun.}), leakproof itself ({@code dev.leakproof.}), a well-known library (Netty, Caffeine, RocksDB,
 * SQLite, H2, zstd, LZ4, JNA, SLF4J, Logback, Log4j, Apache Commons, Guava, Jackson, ...) nor a native frame
 * or a JVM-generated hidden class (lambda proxies, method-handle forms).
 * {@snippet :
 * UserCode user = new UserCode("com.example.MyServiceSoak");
 * user.pick(List.of("java.util.HashMap.put(HashMap.java:618)", "com.example.MyService.lookup(MyService.java:41)"));
 * // "com.example.MyService.lookup(MyService.java:41)"
 * }
 *
 * @param targetClassName binary name of the soaked target's class, e.g. {@code com.example.MyServiceSoak} or a
 *                        lambda's {@code com.example.MyTest$$Lambda/0x...}; "" when unknown
 */
public record UserCode(String targetClassName) {
    /**
     * Packages that are never the user's: the JDK, leakproof, and libraries that user code calls into. A
     * library frame is where the memory was allocated, not where the decision to keep it was made.
     */
    static final List<String> NOT_USER = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.leakproof.", "one.profiler.",
            "io.netty.", "com.github.benmanes.caffeine.", "org.rocksdb.", "org.sqlite.", "org.xerial.",
            "org.h2.", "com.github.luben.zstd.", "net.jpountz.", "org.lz4.", "com.sun.jna.", "org.slf4j.",
            "ch.qos.logback.", "org.apache.logging.log4j.", "org.apache.commons.", "com.google.common.",
            "com.google.protobuf.", "com.fasterxml.jackson.", "kotlin.", "kotlinx.", "scala.", "org.junit.",
            "org.apache.maven.surefire.", "org.openjdk.jmh.", "io.grpc.", "okhttp3.", "okio.", "reactor.",
            "org.eclipse.jetty.", "org.springframework.", "picocli.");

    /** @throws NullPointerException if {@code targetClassName} is null */
    public UserCode {
        Objects.requireNonNull(targetClassName, "targetClassName");
    }

    /**
     * @param target the soaked target's class
     * @return the user code of that target
     */
    public static UserCode of(Class<?> target) {
        return new UserCode(target.getName());
    }

    /**
     * @param stackInnermostFirst rendered frames, innermost first, as {@code pkg.Class.method(File.java:41)};
     *                            native frames ({@code symbol [lib.so]}) are never picked
     * @return the user's frame, or "" when every frame is the JDK's, leakproof's, a library's or native
     */
    public String pick(List<String> stackInnermostFirst) {
        String own = targetPackage();
        String firstOutside = "";
        for (String frame : stackInnermostFirst) {
            String cls = Frames.className(frame);
            if (cls.isEmpty() || Frames.isHidden(cls)) {
                continue;
            }
            if (!own.isEmpty() && cls.startsWith(own)) {
                return frame;
            }
            if (firstOutside.isEmpty() && !isLibrary(cls)) {
                firstOutside = frame;
            }
        }
        return firstOutside;
    }

    /** @return the target's package with a trailing dot ("" for the unnamed package or an unknown target) */
    String targetPackage() {
        String name = targetClassName;
        int slash = name.indexOf('/');        // a hidden class: com.example.T$$Lambda/0x...
        if (slash >= 0) {
            name = name.substring(0, slash);
        }
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(0, dot + 1);
    }

    /** @return whether a class belongs to the JDK, leakproof or a well-known library */
    static boolean isLibrary(String className) {
        for (String prefix : NOT_USER) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
