package dev.leakproof.soak.internal.culprits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedClassLoader;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The culprit pass's in-process JFR recording: started with the events the leaking probes need, stopped once,
 * read into {@link Evidence}.
 *
 * <p>Design note. {@code jdk.OldObjectSample} is emitted only when the recording stops, with the path to a GC root
 * searched at that moment when {@code cutoff} allows it ({@code infinity}: the whole path, whatever it costs). It
 * samples only objects allocated while a recording with the event runs, one per TLAB refill (about one per
 * megabyte allocated on this project's VM), and keeps at most 256 of them ({@code -XX:FlightRecorderOptions:
 * old-object-queue-size}, settable only when the JVM starts), dropping those that die. Its reference chain runs
 * from the sampled object through {@code referrer.object} to the object nearest the root; a static field is a
 * field of the holder's {@code java.lang.Class}, whose description names the class.
 */
final class Recorder implements AutoCloseable {
    /** What a census needs recorded. */
    enum Need {
        /** {@code jdk.OldObjectSample}, path to GC roots and allocation stack. */
        OLD_OBJECTS,
        /** {@code jdk.ThreadStart} with the starting stack. */
        THREAD_STARTS,
        /** {@code jdk.ObjectAllocationSample} with stacks. */
        ALLOCATION_SAMPLES,
        /** {@code jdk.ClassDefine} with the defining stack. */
        CLASS_DEFINES
    }

    /** Allocation samples per second: ten times JFR's default, the pass is short. */
    static final String ALLOCATION_THROTTLE = "1500/s";

    private final Recording recording;
    private final Path file;
    private boolean stopped;

    private Recorder(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /**
     * @param needs what to record
     * @param dir   where the recording is written when it stops
     * @return the running recording
     * @throws IllegalStateException when JFR cannot record here
     */
    static Recorder start(Set<Need> needs, Path dir) {
        Map<String, String> settings = new HashMap<>();
        if (needs.contains(Need.OLD_OBJECTS)) {
            settings.put("jdk.OldObjectSample#enabled", "true");
            settings.put("jdk.OldObjectSample#cutoff", "infinity");
            settings.put("jdk.OldObjectSample#stackTrace", "true");
        }
        if (needs.contains(Need.THREAD_STARTS)) {
            settings.put("jdk.ThreadStart#enabled", "true");
            settings.put("jdk.ThreadStart#stackTrace", "true");
        }
        if (needs.contains(Need.ALLOCATION_SAMPLES)) {
            settings.put("jdk.ObjectAllocationSample#enabled", "true");
            settings.put("jdk.ObjectAllocationSample#throttle", ALLOCATION_THROTTLE);
            settings.put("jdk.ObjectAllocationSample#stackTrace", "true");
        }
        if (needs.contains(Need.CLASS_DEFINES)) {
            settings.put("jdk.ClassDefine#enabled", "true");
            settings.put("jdk.ClassDefine#stackTrace", "true");
        }
        Recording r = new Recording(settings);
        r.setName("leakproof-culprits");
        r.setToDisk(true);
        Path f = dir.resolve("culprits.jfr").toAbsolutePath();
        try {
            r.setDestination(f);
            r.start();
        } catch (IOException | RuntimeException e) {
            r.close();
            throw new IllegalStateException("JFR could not start a recording: " + e.getMessage(), e);
        }
        return new Recorder(r, f);
    }

    /**
     * Stops the recording (the JVM then searches the old objects' paths) and reads it.
     *
     * @return what was recorded
     * @throws IOException when the recording cannot be read
     * @throws IllegalStateException when called twice
     */
    Evidence stop() throws IOException {
        if (stopped) {
            throw new IllegalStateException("the culprit recording was already stopped");
        }
        stopped = true;
        try {
            recording.stop();
            return read(file);
        } finally {
            recording.close();
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            recording.close();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file left in a temporary directory; nothing the caller can do
        }
    }

    static Evidence read(Path file) throws IOException {
        List<Evidence.OldSample> old = new ArrayList<>();
        Map<Long, List<String>> starts = new HashMap<>();
        List<Evidence.AllocationSample> allocations = new ArrayList<>();
        List<Evidence.ClassDefine> defines = new ArrayList<>();
        Map<RecordedStackTrace, List<String>> stacks = new HashMap<>();
        int sampled = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                switch (e.getEventType().getName()) {
                    case "jdk.OldObjectSample" -> {
                        sampled++;
                        Evidence.OldSample s = oldSample(e, stack(e, stacks));
                        if (s != null && !own(s)) {
                            old.add(s);
                        }
                    }
                    case "jdk.ThreadStart" -> {
                        RecordedThread t = e.getValue("thread");
                        if (t != null) {
                            starts.put(t.getJavaThreadId(), stack(e, stacks));
                        }
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        RecordedClass c = e.getValue("objectClass");
                        if (c != null) {
                            allocations.add(new Evidence.AllocationSample(Evidence.javaName(c.getName()),
                                    e.getLong("weight"), stack(e, stacks)));
                        }
                    }
                    case "jdk.ClassDefine" -> {
                        RecordedClass c = e.getValue("definedClass");
                        if (c != null) {
                            RecordedClassLoader l = e.getValue("definingClassLoader");
                            RecordedClass type = l == null ? null : l.getType();
                            defines.add(new Evidence.ClassDefine(
                                    type == null ? MetaspaceCensus.BOOT : Evidence.javaName(type.getName()),
                                    c.hasField("hidden") && c.getBoolean("hidden"), Evidence.javaName(c.getName()),
                                    stack(e, stacks)));
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return new Evidence(old, sampled, starts, allocations, defines);
    }

    /**
     * @return whether a sample is the collector's own (its tables are allocated while the recording runs, and a
     *         large array is always sampled): such a sample would name the collector as the holder of a class
     */
    private static boolean own(Evidence.OldSample s) {
        for (Evidence.Step step : s.chain()) {
            if (isOwn(step.type())) {
                return true;
            }
        }
        for (String frame : s.stack()) {
            if (isOwn(Frames.className(frame))) {
                return true;
            }
        }
        return false;
    }

    /** The collector's classes (not the rest of its package: the tests live there and are user code). */
    private static final Set<String> OWN = Set.of(CulpritCollector.class.getName(), HeapCensus.class.getName(),
            ThreadCensus.class.getName(), FdCensus.class.getName(), DirectCensus.class.getName(),
            NativeCensus.class.getName(), MetaspaceCensus.class.getName(), Series.class.getName(), Recorder.class.getName(), Evidence.class.getName());

    private static boolean isOwn(String className) {
        int dollar = className.indexOf('$');
        return OWN.contains(dollar < 0 ? className : className.substring(0, dollar));
    }

    private static List<String> stack(RecordedEvent e, Map<RecordedStackTrace, List<String>> cache) {
        RecordedStackTrace st = e.getStackTrace();
        return st == null ? List.of() : cache.computeIfAbsent(st, Frames::render);
    }

    /** @return the sample, or null when its object was dead (no root) */
    private static Evidence.OldSample oldSample(RecordedEvent e, List<String> stack) {
        RecordedObject root = e.getValue("root");
        RecordedObject object = e.getValue("object");
        if (root == null || object == null) {
            return null;
        }
        // the chain as JFR gives it: sampled object first, each holding the next through its referrer
        List<Evidence.Step> reversed = new ArrayList<>();
        reversed.add(new Evidence.Step(typeOf(object), Evidence.simpleName(typeOf(object))));
        RecordedObject o = object;
        while (true) {
            RecordedObject ref = o.getValue("referrer");
            RecordedObject holder = ref == null ? null : ref.getValue("object");
            if (holder == null) {
                break;
            }
            int skipped = ref.getInt("skip");
            if (skipped > 0) {
                reversed.add(new Evidence.Step("", "… " + skipped + " more …"));
            }
            reversed.add(new Evidence.Step(typeOf(holder), via(holder, ref)));
            o = holder;
        }
        List<Evidence.Step> chain = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            chain.add(reversed.get(i));
        }
        return new Evidence.OldSample(typeOf(object), rootName(root), chain, stack);
    }

    private static String typeOf(RecordedObject o) {
        RecordedClass c = o.getValue("type");
        return c == null ? "?" : Evidence.javaName(c.getName());
    }

    /** Renders how {@code holder} reaches the next object: a field, a static field, an array element. */
    private static String via(RecordedObject holder, RecordedObject ref) {
        String type = typeOf(holder);
        RecordedObject field = ref.getValue("field");
        if (field != null) {
            String name = field.getString("name");
            boolean isStatic = (field.getShort("modifiers") & java.lang.reflect.Modifier.STATIC) != 0;
            String description = holder.getString("description");
            if (isStatic && type.equals("java.lang.Class") && description != null
                    && description.startsWith("Class Name: ")) {
                return "static " + Evidence.simpleName(description.substring("Class Name: ".length())) + "." + name;
            }
            return (isStatic ? "static " : "") + Evidence.simpleName(type) + "." + name;
        }
        return Evidence.simpleName(type);
    }

    /** Renders a GC root: {@code Thread 'main' stack variable}, {@code class loader data}, {@code JNI global}. */
    static String rootName(RecordedObject root) {
        String system = root.getString("system");
        String type = root.getString("type");
        String description = root.getString("description");
        if ("Threads".equals(system) && description != null && description.startsWith("Thread Name: ")) {
            return "Thread '" + description.substring("Thread Name: ".length()) + "'"
                    + (type == null ? "" : " " + type.toLowerCase(Locale.ROOT));
        }
        StringBuilder sb = new StringBuilder(system == null ? "GC root" : system.toLowerCase(Locale.ROOT)
                .replace("jni", "JNI"));
        if (type != null && !type.isEmpty()) {
            sb.append(' ').append(type.toLowerCase(Locale.ROOT).replace("jni", "JNI"));
        }
        if (description != null && !description.isEmpty()) {
            sb.append(" (").append(description).append(')');
        }
        return sb.toString();
    }
}
