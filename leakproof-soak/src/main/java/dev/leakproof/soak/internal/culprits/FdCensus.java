package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import dev.leakproof.soak.internal.NativeProfiler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * File-descriptor culprits: the open descriptors of {@code /proc/self/fd}, grouped by what they point at, a group
 * whose count grows.
 *
 * <p>Groups: {@code socket}, {@code pipe}, each {@code anon_inode} kind ({@code anon_inode:[eventpoll]}), devices
 * by path, directories held open by their path ({@code /tmp/x/}), files by directory and extension
 * ({@code /tmp/x/*.log}, {@code /tmp/x/*} without one). The
 * descriptors of JFR's repository, of the collector's own directory and of the listing itself are left out.
 *
 * <p>No JDK event records where a descriptor was opened ({@code jdk.FileRead}, {@code jdk.FileWrite},
 * {@code jdk.SocketRead} record I/O on it). The stack shown, when there is one, is that of a live JFR
 * old-object sample of the JDK object owning such descriptors ({@code FileChannelImpl}, {@code SourceChannelImpl},
 * ...), used only when a single growing group can own it; else, when the pass traced {@value #OPEN} (every
 * descriptor object the JDK makes: files, channels, sockets, pipes), the site that made them at the rate the group
 * grows. A descriptor opened by native code (a C library's {@code open}) has no such object and no such site.
 */
final class FdCensus implements Census {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    /** The constructor every descriptor the JDK opens goes through. */
    static final String OPEN = "java.io.FileDescriptor.<init>";
    /** How far a traced site's rate may be from the group's growth and still be taken as its maker. */
    private static final double RATE_FACTOR = 2.0;
    /**
     * Frames that make a family's descriptors: a traced site must show one to be taken for a group of that family
     * (a pipe's two descriptors and a file's one may be made at the same rate).
     */
    private static final Map<String, List<String>> MAKERS = Map.of(
            "file", List.of("sun.nio.fs.UnixChannelFactory.", "java.io.FileInputStream.", "java.io.FileOutputStream.",
                    "java.io.RandomAccessFile.", "java.util.zip.ZipFile"),
            "pipe", List.of("sun.nio.ch.IOUtil.makePipe", "sun.nio.ch.PipeImpl", "java.lang.ProcessImpl"),
            "socket", List.of("sun.nio.ch.Net.", "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl",
                    "sun.nio.ch.ServerSocketChannelImpl", "sun.nio.ch.DatagramChannelImpl",
                    "sun.nio.ch.UnixAsynchronousSocketChannelImpl"));
    private static final Set<String> FILE_OWNERS = Set.of("sun.nio.ch.FileChannelImpl", "java.io.FileInputStream",
            "java.io.FileOutputStream", "java.io.RandomAccessFile", "sun.nio.fs.UnixDirectoryStream",
            "java.util.zip.ZipFile", "java.util.zip.ZipFile$Source", "java.util.jar.JarFile",
            "jdk.nio.zipfs.ZipFileSystem");
    private static final Map<String, Set<String>> OWNERS = Map.of(
            "pipe", Set.of("sun.nio.ch.SourceChannelImpl", "sun.nio.ch.SinkChannelImpl", "java.lang.ProcessImpl",
                    "java.lang.ProcessImpl$ProcessPipeInputStream", "java.lang.ProcessImpl$ProcessPipeOutputStream"),
            "socket", Set.of("sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl",
                    "sun.nio.ch.NioSocketImpl", "sun.nio.ch.DatagramChannelImpl"),
            "anon_inode:[eventpoll]", Set.of("sun.nio.ch.EPollSelectorImpl"),
            "anon_inode:[eventfd]", Set.of("sun.nio.ch.EPollSelectorImpl", "sun.nio.ch.EventFD"));

    private final String ownDir;
    private final MethodTrace trace;
    private final String listing = "/proc/" + ProcessHandle.current().pid() + "/fd";
    private Map<String, Long> before = Map.of();
    private Series series = new Series(0);
    private String failure = "";

    /** @param ownDir the collector's directory, whose files are not the user's */
    FdCensus(Path ownDir) {
        this.ownDir = ownDir.toAbsolutePath().toString();
        this.trace = new MethodTrace(ownDir, OPEN);
    }

    /** @return its trace of {@value #OPEN}, started by the collector when the pass's profiler session is free */
    @Override
    public MethodTrace trace() {
        return trace;
    }

    @Override
    public String probe() {
        return "fds";
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of(Recorder.Need.OLD_OBJECTS);
    }

    @Override
    public void baseline() {
        Map<String, Long> b = new HashMap<>();
        if (census((group) -> b.merge(group, 1L, Long::sum))) {
            before = b;
            series = new Series(b.size());
            b.keySet().forEach(series::prime);
        }
    }

    @Override
    public void observe(long iteration) {
        if (!failure.isEmpty()) {
            return;
        }
        series.next(iteration);
        census(group -> series.add(group, 1, 0));
        trace.mark(iteration);
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        List<Integer> growing = new ArrayList<>();
        Map<String, Integer> perFamily = new HashMap<>();
        for (int row = 0; row < series.keys(); row++) {
            if (series.countTrend(row).grows()) {
                growing.add(row);
                perFamily.merge(family(series.key(row)), 1, Integer::sum);
            }
        }
        List<SoakCulprit> out = new ArrayList<>();
        for (int row : growing) {
            String group = series.key(row);
            Trend count = series.countTrend(row);
            String family = family(group);
            Set<String> owners = family.equals("file") ? FILE_OWNERS : OWNERS.getOrDefault(family, Set.of());
            Evidence.Holder h = perFamily.get(family) == 1 ? evidence.holderOfAny(owners) : Evidence.Holder.NONE;
            NativeProfiler.TracedSite made = h.samples() > 0 ? null : maker(count.perIteration(), family);
            List<String> stack = made != null ? made.stack() : h.stack();
            String note = made != null
                    ? "no event records where a descriptor is opened; the stack is where the JDK made descriptor objects "
                            + NativeProfiler.howOften(made.perIteration()) + ", the rate this group grows "
                            + "(async-profiler traced every " + OPEN + ")"
                    : h.samples() > 0
                    ? "no event records where a descriptor is opened; the stack and path are those of a live "
                            + Evidence.simpleName(h.sampledType()) + (h.direct()
                                    ? ", the JDK object that owns such descriptors"
                                    : " held through " + Evidence.simpleName(h.path().getLast())
                                            + ", which owns such descriptors")
                            + " (" + h.samples() + " JFR old-object samples)"
                    : "no opening stack: the JDK records no event when a descriptor is opened (jdk.FileRead, "
                            + "jdk.FileWrite and jdk.SocketRead record I/O on one, not its opening)"
                            + (owners.isEmpty() ? "" : ", and no object owning such descriptors ("
                                    + owners.stream().map(Evidence::simpleName).sorted()
                                            .reduce((a, b) -> a + ", " + b).orElse("")
                                    + ") was among the live JFR old-object samples")
                            + traceNote();
            out.add(new SoakCulprit(probe(), "fds", group, count.perIteration(), 0,
                    Census.share(count.perIteration(), probeSlope),
                    Math.max(0, count.lastCount() - before.getOrDefault(group, 0L)), 0, user.pick(stack), stack,
                    h.path(), note));
        }
        out.sort(Comparator.comparingDouble(SoakCulprit::perIteration).reversed());
        return out;
    }

    /**
     * @param growth the group's descriptors per iteration
     * @param family the group's family ({@code file}, {@code pipe}, {@code socket}, ...)
     * @return the traced site of the family's makers ({@link #MAKERS}) that made descriptor objects at the rate closest
     *         to {@code growth}, within a factor of {@value #RATE_FACTOR}, or null
     */
    private NativeProfiler.TracedSite maker(double growth, String family) {
        NativeProfiler.TracedSite best = null;
        double closest = Math.log(RATE_FACTOR);
        List<String> makers = MAKERS.get(family);
        for (NativeProfiler.TracedSite site : trace.sites()) {
            if (site.perIteration() <= 0 || growth <= 0 || (makers != null
                    && site.stack().stream().noneMatch(f -> makers.stream().anyMatch(f::startsWith)))) {
                continue;
            }
            double distance = Math.abs(Math.log(site.perIteration() / growth));
            if (distance <= closest) {
                closest = distance;
                best = site;
            }
        }
        return best;
    }

    /** @return why the trace said nothing, for a culprit without a stack */
    private String traceNote() {
        if (!trace.on()) {
            return trace.note().isEmpty() ? "" : "; " + OPEN + " was not traced: " + trace.note();
        }
        return "; no traced site made descriptor objects at about this rate (" + OPEN + " traced): a C library's own "
                + "open makes none";
    }

    @Override
    public String note() {
        return failure;
    }

    /** @return whether the census could be taken */
    private boolean census(java.util.function.Consumer<String> groups) {
        String repository = System.getProperty("jdk.jfr.repository");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD_DIR)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue;                                   // closed while listing
                }
                if (target.equals(listing) || target.startsWith(ownDir)
                        || (repository != null && target.startsWith(repository))) {
                    continue;
                }
                groups.accept(group(target));
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            failure = "open descriptors cannot be listed (" + FD_DIR + ": " + e + "); descriptor culprits need Linux";
            return false;
        }
    }

    /**
     * @param target what a descriptor's link points at
     * @return its group: {@code socket}, {@code pipe}, {@code anon_inode:[eventpoll]}, {@code /dev/null},
     *         {@code /tmp/x/*.log}; a deleted file keeps its group with {@code (deleted)} appended
     */
    static String group(String target) {
        if (target.startsWith("socket:")) {
            return "socket";
        }
        if (target.startsWith("pipe:")) {
            return "pipe";
        }
        if (!target.startsWith("/")) {
            return target.startsWith("anon_inode:") ? target : target.replaceAll("\\[\\d+]", "[#]");
        }
        String deleted = "";
        String path = target;
        if (path.endsWith(" (deleted)")) {
            deleted = " (deleted)";
            path = path.substring(0, path.length() - deleted.length());
        }
        if (path.startsWith("/dev/")) {
            return path + deleted;
        }
        if (deleted.isEmpty() && java.nio.file.Files.isDirectory(Path.of(path))) {
            // a directory held open (a DirectoryStream, a zip file system's root): the directory names it
            return path.endsWith("/") ? path : path + "/";
        }
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        return dir + (dot > 0 ? "*" + name.substring(dot) : "*") + deleted;
    }

    /** @return the family of a group: {@code file} for files, else the group itself */
    static String family(String group) {
        return group.startsWith("/") && !group.startsWith("/dev/") ? "file" : group;
    }
}
