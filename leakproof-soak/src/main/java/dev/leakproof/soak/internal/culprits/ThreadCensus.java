package dev.leakproof.soak.internal.culprits;

import dev.leakproof.soak.SoakResult.SoakCulprit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Thread culprits: live platform threads grouped by name with the digits folded ({@code worker-17} →
 * {@code worker-#}, {@code nioEventLoopGroup-3-1} → {@code nioEventLoopGroup-#-#}), a pattern whose count grows,
 * and the stack that started its threads, from JFR's {@code jdk.ThreadStart}.
 *
 * <p>Threads are listed through the root thread group, as the {@code threads} probe counts them: platform threads
 * only (virtual threads are not threads the process runs out of). A thread started and joined within an
 * iteration is gone at the next census; one started once is a step, not a trend.
 */
final class ThreadCensus implements Census {
    private long[] before = new long[0];
    private Series series = new Series(0);

    @Override
    public String probe() {
        return "threads";
    }

    @Override
    public Set<Recorder.Need> needs() {
        return Set.of(Recorder.Need.THREAD_STARTS);
    }

    @Override
    public void baseline() {
        Thread[] live = live();
        before = new long[live.length];
        for (int i = 0; i < live.length; i++) {
            before[i] = live[i].threadId();
        }
        Arrays.sort(before);
        series = new Series(live.length);
        for (Thread t : live) {
            series.prime(pattern(t.getName()));
        }
    }

    @Override
    public void observe(long iteration) {
        series.next(iteration);
        for (Thread t : live()) {
            series.add(pattern(t.getName()), 1, 0);
        }
    }

    @Override
    public List<SoakCulprit> culprits(double probeSlope, Evidence evidence, UserCode user) {
        Map<String, List<Thread>> added = new HashMap<>();
        for (Thread t : live()) {
            if (Arrays.binarySearch(before, t.threadId()) < 0) {
                added.computeIfAbsent(pattern(t.getName()), k -> new ArrayList<>()).add(t);
            }
        }
        List<SoakCulprit> out = new ArrayList<>();
        for (int row = 0; row < series.keys(); row++) {
            Trend count = series.countTrend(row);
            if (!count.grows()) {
                continue;
            }
            String pattern = series.key(row);
            List<Thread> threads = added.getOrDefault(pattern, List.of());
            Map<List<String>, Integer> stacks = new HashMap<>();
            for (Thread t : threads) {
                List<String> s = evidence.threadStarts().get(t.threadId());
                if (s != null) {
                    stacks.merge(s, 1, Integer::sum);
                }
            }
            List<String> stack = stacks.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse(List.of());
            out.add(new SoakCulprit(probe(), "threads", named(pattern, threads.stream().map(Thread::getName).toList()), count.perIteration(), 0,
                    Census.share(count.perIteration(), probeSlope), threads.size(), 0, user.pick(stack), stack,
                    List.of(), describe(threads, stacks.isEmpty())));
        }
        out.sort(Comparator.comparingDouble(SoakCulprit::perIteration).reversed());
        return out;
    }

    private static String describe(List<Thread> threads, boolean noStack) {
        if (threads.isEmpty()) {
            return "none of its threads started in the pass is still alive at the end";
        }
        long daemons = threads.stream().filter(Thread::isDaemon).count();
        Set<String> groups = new TreeSet<>();
        for (Thread t : threads) {
            ThreadGroup g = t.getThreadGroup();
            groups.add(g == null ? "(terminated)" : g.getName());
        }
        String names = threads.stream().limit(3).map(Thread::getName).reduce((a, b) -> a + ", " + b).orElse("");
        return threads.size() + " started in the pass and alive (" + names + (threads.size() > 3 ? ", ..." : "")
                + "), " + (daemons == threads.size() ? "daemon" : daemons == 0 ? "not daemon" : daemons + " daemon")
                + ", group " + String.join(", ", groups)
                + (noStack ? "; no jdk.ThreadStart event for them, so no starting stack" : "");
    }

    @Override
    public String note() {
        return "";
    }

    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]+");

    /** @return a thread name with each run of digits folded to {@code #} */
    static String pattern(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= '0' && c <= '9') {
                if (sb == null) {
                    sb = new StringBuilder(name.length()).append(name, 0, i);
                }
                if (i == 0 || name.charAt(i - 1) < '0' || name.charAt(i - 1) > '9') {
                    sb.append('#');
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? name : sb.toString();
    }

    /**
     * The group's name as its threads show it: a run of digits the same in every one of them is kept ("H2-save"), one
     * that differs stays {@code #} ("pool-#-thread-1"). A single thread says nothing about what varies, so its group
     * keeps the folded pattern.
     *
     * @param pattern the group's {@link #pattern}
     * @param names   the names of its threads alive at the end, each of that pattern
     */
    static String named(String pattern, List<String> names) {
        if (names.size() < 2) {
            return pattern;
        }
        List<List<String>> runs = names.stream().map(ThreadCensus::digitRuns).toList();
        List<String> first = runs.getFirst();
        if (pattern.chars().filter(ch -> ch == '#').count() != first.size()) {
            return pattern; // a '#' of the name's own: keep the fold
        }
        StringBuilder sb = new StringBuilder(pattern.length() + 8);
        int run = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '#' && run < first.size()) {
                int k = run++;
                boolean same = runs.stream().allMatch(r -> r.size() > k && r.get(k).equals(first.get(k)));
                sb.append(same ? first.get(k) : "#");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static List<String> digitRuns(String name) {
        return DIGITS.matcher(name).results().map(java.util.regex.MatchResult::group).toList();
    }

    private static Thread[] live() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.copyOf(threads, n);
    }
}
