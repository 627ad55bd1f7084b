package dev.leakproof.soak.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A probe's (or the run's) verdict at the end of a soak. */
@Name("dev.leakproof.SoakVerdict")
@Label("Soak Verdict")
@Category({"leakproof", "soak"})
@Description("The verdict of one probe, or of the whole soak when probe is 'overall'")
@StackTrace(false)
public final class SoakVerdictEvent extends Event {
    /** What is soaked. */
    @Label("Soak")
    public String soak;
    /** Probe name, or overall. */
    @Label("Probe")
    public String probe;
    /** LEAK, NO_LEAK or INCONCLUSIVE. */
    @Label("Verdict")
    public String verdict;
    /** Units per iteration. */
    @Label("Slope")
    public double slope;
    /** Interval low. */
    @Label("Slope Low")
    public double low;
    /** Interval high. */
    @Label("Slope High")
    public double high;
    /** Measured iterations. */
    @Label("Iterations")
    public long iterations;
}
