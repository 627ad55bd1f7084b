package dev.leakproof.soak;

/**
 * What a soak loops: {@link #iteration()} many times, between an optional {@link #setUp()} and
 * {@link #tearDown()}.
 * {@snippet :
 * SoakResult r = Soak.run(SoakOptions.defaults(), SoakTarget.of(() -> cluster.tag("t").getEntries()));
 * }
 */
@FunctionalInterface
public interface SoakTarget {

    /** Runs once before warm-up. @throws Exception to abort the soak */
    default void setUp() throws Exception {
    }

    /** One iteration of the operation under test. @throws Exception to abort the soak */
    void iteration() throws Exception;

    /** Runs once after the last sample, even when an iteration threw. @throws Exception reported, not hidden */
    default void tearDown() throws Exception {
    }

    /**
     * The user's class behind this target: culprit stacks pick out the first frame of its package as the user's
     * own line. A target that wraps another object (the command line's {@code --class}) returns the wrapped
     * object's class.
     *
     * @return the class whose code is soaked
     */
    default Class<?> userClass() {
        return getClass();
    }

    /** An operation that may throw. */
    @FunctionalInterface
    interface Operation {
        /** @throws Exception to abort the soak */
        void run() throws Exception;
    }

    /**
     * @param operation one iteration
     * @return a target with no set-up or tear-down
     */
    static SoakTarget of(Operation operation) {
        java.util.Objects.requireNonNull(operation, "operation");
        return new SoakTarget() {
            @Override
            public void iteration() throws Exception {
                operation.run();
            }

            @Override
            public Class<?> userClass() {
                return operation.getClass();
            }
        };
    }
}
