package dev.leakproof.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A resource found leaked: its owner was garbage-collected unreleased, or a scope closed with it live. */
@Name("dev.leakproof.LeakDetected")
@Label("Leak Detected")
@Category({"leakproof"})
@Description("A tracked native resource that was never released")
@StackTrace(false)
public final class LeakDetectedEvent extends Event {
    /** Resource kind. */
    @Label("Kind")
    public String kind;
    /** How it was found: gc or scope. */
    @Label("Detection")
    public String detection;
    /** Innermost frame of the creating call path. */
    @Label("Site")
    public String site;
    /** Full creating call path, one frame a line. */
    @Label("Stack")
    public String stack;
    /** Resources in this event. */
    @Label("Count")
    public long count;
    /** Bytes they hold. */
    @Label("Bytes")
    @DataAmount
    public long bytes;
}
