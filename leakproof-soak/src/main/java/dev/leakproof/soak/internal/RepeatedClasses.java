package dev.leakproof.soak.internal;

import dev.leakproof.soak.Probe;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.management.JMException;

/**
 * The {@code classes} probe: live classes that repeat a name already loaded, once the names a class leak varies
 * are folded (a hidden class's {@code /0x…} suffix, a proxy's number and module).
 *
 * <p>Design note. A class leak defines the same thing again and again: a proxy in each new class loader, a hidden
 * class from one template, a plugin class loaded by a loader per reload. A clean program also loads classes
 * while it runs, but each for the first time, in bursts, under names of its own: a cache loads its eviction
 * classes when it first fills (Caffeine: 14 classes at one moment of a 50,000-iteration run), the JIT and the
 * soak engine load a few more. Counting all loaded classes called such a clean run a leak ("rose by 13 over the
 * last 25,372 iterations"); counting only repeats of a name it did not. Hidden classes the JDK spins for method
 * handles and lambdas ({@code java.lang.invoke.*}, {@code …$$Lambda}) share one folded name each and appear
 * lazily, so they are left out. The list comes from the {@code VM.classes} diagnostic command, read only when the
 * JVM's loaded-class count changed since the last read, so a run that loads nothing pays one MXBean call a sample.
 */
public final class RepeatedClasses implements Probe {
    private static final Pattern HIDDEN_SUFFIX = Pattern.compile("/0x[0-9a-fA-F]+.*$");
    private static final Pattern PROXY_MODULE = Pattern.compile("^jdk\\.proxy\\d+\\.");
    private static final Pattern PROXY_NUMBER = Pattern.compile("\\$Proxy\\d+");

    private final ClassLoadingMXBean loading = ManagementFactory.getClassLoadingMXBean();
    private long loadedAtLastList = -1;
    private long unloadedAtLastList = -1;
    private double last;

    /** Creates the probe; it lists nothing until it is read. */
    public RepeatedClasses() {
    }

    @Override
    public String name() {
        return "classes";
    }

    @Override
    public Unit unit() {
        return Unit.COUNT;
    }

    @Override
    public String description() {
        return "classes that repeat a name already loaded (proxies, hidden classes from one template, a class per "
                + "class loader): what a class or class-loader leak adds";
    }

    @Override
    public Availability availability() {
        return Availability.AVAILABLE;
    }

    @Override
    public double read() {
        long loaded = loading.getTotalLoadedClassCount();
        long unloaded = loading.getUnloadedClassCount();
        if (loaded != loadedAtLastList || unloaded != unloadedAtLastList) {
            String list;
            try {
                list = DiagnosticCommands.run("vmClasses");
            } catch (JMException e) {
                throw new IllegalStateException("the VM.classes diagnostic command failed: " + e.getMessage(), e);
            }
            last = repeats(list);
            loadedAtLastList = loaded;
            unloadedAtLastList = unloaded;
        }
        return last;
    }

    /**
     * @param vmClasses the output of {@code VM.classes}: a header, then {@code KlassAddr Size State Flags Name}
     * @return the live classes whose folded name another live class already has, JDK-spun ones left out
     */
    public static long repeats(String vmClasses) {
        Map<String, Integer> names = new HashMap<>();
        long[] repeats = {0};
        forEachClass(vmClasses, name -> {
            String folded = fold(name);
            if (!jdkSpun(folded) && names.merge(folded, 1, Integer::sum) > 1) {
                repeats[0]++;
            }
        });
        return repeats[0];
    }

    /**
     * @param vmClasses the output of {@code VM.classes}: a header, then {@code KlassAddr Size State Flags Name}
     * @param name      receives the name of each class listed, as the JVM prints it
     */
    public static void forEachClass(String vmClasses, java.util.function.Consumer<String> name) {
        int pos = 0;
        int n = vmClasses.length();
        while (pos < n) {
            int end = vmClasses.indexOf('\n', pos);
            if (end < 0) {
                end = n;
            }
            String line = vmClasses.substring(pos, end).strip();
            pos = end + 1;
            if (line.startsWith("0x")) {
                name.accept(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
    }

    /**
     * @param className a class's name as the JVM prints it
     * @return the name with what a class leak varies folded: {@code p.Template/0x0000000016043000} is
     *         {@code p.Template}, {@code jdk.proxy3.$Proxy12} is {@code jdk.proxy#.$Proxy#}
     */
    public static String fold(String className) {
        String n = HIDDEN_SUFFIX.matcher(className).replaceFirst("");
        n = PROXY_MODULE.matcher(n).replaceFirst("jdk.proxy#.");
        return PROXY_NUMBER.matcher(n).replaceAll("\\$Proxy#");
    }

    /** @return whether a folded name is a hidden class the JDK spins for method handles or lambdas */
    public static boolean jdkSpun(String folded) {
        return folded.startsWith("java.lang.invoke.") || folded.contains("$$Lambda");
    }
}
