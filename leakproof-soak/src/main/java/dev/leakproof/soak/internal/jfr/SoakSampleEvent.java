package dev.leakproof.soak.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One probe's value at one soak sample. */
@Name("dev.leakproof.SoakSample")
@Label("Soak Sample")
@Category({"leakproof", "soak"})
@Description("A probe's value after GC settled, at one sample of a soak")
@StackTrace(false)
public final class SoakSampleEvent extends Event {
    /** What is soaked. */
    @Label("Soak")
    public String soak;
    /** Probe name. */
    @Label("Probe")
    public String probe;
    /** Unit of the value. */
    @Label("Unit")
    public String unit;
    /** Iterations done when sampled. */
    @Label("Iteration")
    public long iteration;
    /** The value. */
    @Label("Value")
    public double value;
}
