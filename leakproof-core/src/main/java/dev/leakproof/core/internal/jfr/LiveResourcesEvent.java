package dev.leakproof.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Periodic live totals of one resource kind. */
@Name("dev.leakproof.LiveResources")
@Label("Live Resources")
@Category({"leakproof"})
@Description("Live and leaked counts and bytes of one tracked resource kind")
@Period("1 s")
@StackTrace(false)
public final class LiveResourcesEvent extends Event {
    /** Resource kind. */
    @Label("Kind")
    public String kind;
    /** Live resources. */
    @Label("Live Count")
    public long liveCount;
    /** Bytes held by live resources. */
    @Label("Live Bytes")
    @DataAmount
    public long liveBytes;
    /** Resources found leaked by garbage collection since start. */
    @Label("Leaked Count")
    public long leakedCount;
    /** Bytes held by those. */
    @Label("Leaked Bytes")
    @DataAmount
    public long leakedBytes;
}
