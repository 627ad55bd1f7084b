/**
 * leakproof-soak: loop an operation, chart every kind of memory over time, decide with statistics whether
 * it leaks and by how many bytes per iteration, and list the culprits. Start at {@link dev.leakproof.soak.Soak}.
 */
module dev.leakproof.soak {
    requires transitive dev.leakproof.core;
    requires java.management;
    requires jdk.management;
    requires jdk.jfr;
    requires async.profiler;

    exports dev.leakproof.soak;
    exports dev.leakproof.soak.internal.jfr to jdk.jfr;
}
