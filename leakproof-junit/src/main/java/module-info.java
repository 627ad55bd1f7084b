/**
 * leakproof-junit: a JUnit 5 extension that fails a test whose code leaks, by scope ({@link
 * dev.leakproof.junit.LeakCheck}) or by soak ({@link dev.leakproof.junit.Soaker}).
 */
module dev.leakproof.junit {
    requires transitive dev.leakproof.soak;
    requires transitive org.junit.jupiter.api;

    exports dev.leakproof.junit;
    opens dev.leakproof.junit to org.junit.platform.commons;
}
