package dev.leakproof.soak.internal.culprits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the culprit pass's JFR recording saw: live old-object samples with their reference paths and allocation
 * stacks, the stacks that started threads, and allocation samples.
 *
 * @param oldObjects   {@code jdk.OldObjectSample} events whose object was still reachable at the end (a path to a
 *                     GC root was found); dead samples are dropped
 * @param oldSampled   all old-object samples emitted, live or not (to say why none matched)
 * @param threadStarts {@code jdk.ThreadStart} stacks by the started thread's Java id
 * @param allocations  {@code jdk.ObjectAllocationSample} events
 * @param classDefines {@code jdk.ClassDefine} events
 */
record Evidence(List<OldSample> oldObjects, int oldSampled, Map<Long, List<String>> threadStarts,
                List<AllocationSample> allocations, List<ClassDefine> classDefines) {
    static final Evidence NONE = new Evidence(List.of(), 0, Map.of(), List.of(), List.of());

    Evidence {
        oldObjects = List.copyOf(oldObjects);
        threadStarts = Map.copyOf(threadStarts);
        allocations = List.copyOf(allocations);
        classDefines = List.copyOf(classDefines);
    }

    /**
     * A class defined during the pass.
     *
     * @param loaderType class of its defining loader, Java form ({@code <boot class loader>} for the boot loader)
     * @param hidden     whether it is a hidden class ({@code Lookup.defineHiddenClass}, lambdas)
     * @param className  its name, Java form ({@code p.Template/0x…} for a hidden class)
     * @param stack      the defining stack, innermost first; may be empty
     */
    record ClassDefine(String loaderType, boolean hidden, String className, List<String> stack) {
        ClassDefine {
            stack = List.copyOf(stack);
        }
    }

    /**
     * One object of the reference path from a GC root to a sampled object.
     *
     * @param type class of the object, Java form ({@code byte[]}, {@code java.util.HashMap$Node})
     * @param via  how the next object of the path is reached from it, rendered: {@code static MyService.CACHE},
     *             {@code ConcurrentHashMap.table}, {@code ConcurrentHashMap$Node[]}; for the sampled object, its
     *             simple type
     */
    record Step(String type, String via) {
    }

    /**
     * A sampled object still reachable at the end of the pass.
     *
     * @param type  its class, Java form
     * @param root  the GC root the path starts from, e.g. {@code Thread 'main' stack variable}
     * @param chain the path, root-most object first, the sampled object last
     * @param stack its allocation stack, innermost first
     */
    record OldSample(String type, String root, List<Step> chain, List<String> stack) {
        OldSample {
            chain = List.copyOf(chain);
            stack = List.copyOf(stack);
        }

        /** @return the index in the chain of the first object of that class, or -1 */
        int indexOf(String className) {
            for (int i = 0; i < chain.size(); i++) {
                if (chain.get(i).type().equals(className)) {
                    return i;
                }
            }
            return -1;
        }

        /** @return the path from the root to the chain's object at {@code index}, root first */
        List<String> pathTo(int index) {
            List<String> out = new ArrayList<>(index + 2);
            out.add(root);
            for (int i = 0; i < index; i++) {
                out.add(chain.get(i).via());
            }
            out.add(simpleName(chain.get(index).type()));
            return out;
        }
    }

    /**
     * @param type   class of the sampled allocation, Java form
     * @param weight bytes the sample stands for
     * @param stack  allocation stack, innermost first
     */
    record AllocationSample(String type, long weight, List<String> stack) {
        AllocationSample {
            stack = List.copyOf(stack);
        }
    }

    /**
     * Who holds objects of a class, and where they were allocated.
     *
     * @param path    reference path, root first (empty when no sample matched)
     * @param stack   allocation stack, innermost first (empty when no sample matched)
     * @param samples live samples that matched
     * @param direct  whether the stack is of an object of that class itself, not of an object it holds or is
     *                held by
     * @param sampledType the class of the sampled object the stack belongs to
     */
    record Holder(List<String> path, List<String> stack, int samples, boolean direct, String sampledType) {
        static final Holder NONE = new Holder(List.of(), List.of(), 0, false, "");
    }

    /**
     * Finds who holds a class: the live samples of that class if any, else the samples whose path passes through
     * it. Among them, the most frequent path wins, and among its samples, the most frequent stack.
     *
     * @param className class, Java form
     * @return the evidence, or {@link Holder#NONE}
     */
    Holder holderOf(String className) {
        Holder h = holder(className, s -> s.type().equals(className), true);
        return h.samples() > 0 ? h : holder(className, s -> s.indexOf(className) >= 0, false);
    }

    /**
     * @param types classes that own the resource (e.g. {@code sun.nio.ch.FileChannelImpl} for a file descriptor)
     * @return the evidence for the most sampled of them, or {@link Holder#NONE}
     */
    Holder holderOfAny(Set<String> types) {
        Map<String, Integer> seen = new HashMap<>();
        for (OldSample s : oldObjects) {
            if (types.contains(s.type())) {
                seen.merge(s.type(), 1, Integer::sum);
            }
        }
        if (seen.isEmpty()) {
            // none sampled itself (small objects seldom are): one whose path passes through an owner, such as the
            // buffer of a child process's pipe stream
            for (OldSample s : oldObjects) {
                for (String t : types) {
                    if (s.indexOf(t) >= 0) {
                        seen.merge(t, 1, Integer::sum);
                    }
                }
            }
        }
        return seen.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> holderOf(e.getKey())).orElse(Holder.NONE);
    }

    private Holder holder(String className, Predicate<OldSample> match, boolean direct) {
        Map<List<String>, List<OldSample>> byPath = new HashMap<>();
        for (OldSample s : oldObjects) {
            if (match.test(s)) {
                byPath.computeIfAbsent(s.pathTo(s.indexOf(className)), k -> new ArrayList<>()).add(s);
            }
        }
        if (byPath.isEmpty()) {
            return Holder.NONE;
        }
        // a path from a JIT compiler thread's handle is real but transient (the compiler holds the constants of
        // the code it compiles): any path from a lasting root is preferred
        Map.Entry<List<String>, List<OldSample>> best = byPath.entrySet().stream()
                .max(Comparator.comparing((Map.Entry<List<String>, List<OldSample>> e) -> !fromCompiler(e.getKey()))
                        .thenComparingInt(e -> e.getValue().size())).orElseThrow();
        Map<List<String>, Integer> stacks = new HashMap<>();
        for (OldSample s : best.getValue()) {
            stacks.merge(s.stack(), 1, Integer::sum);
        }
        List<String> stack = stacks.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String sampledType = best.getValue().stream().filter(s -> s.stack().equals(stack)).findFirst()
                .orElseThrow().type();
        int total = byPath.values().stream().mapToInt(List::size).sum();
        return new Holder(best.getKey(), stack, total, direct, sampledType);
    }

    /** @return whether a path starts at a JIT compiler thread */
    static boolean fromCompiler(List<String> path) {
        return !path.isEmpty() && path.getFirst().contains("CompilerThread");
    }

    /**
     * @param descriptorOrName a JVM class name as JFR and the class histogram print it: {@code [B},
     *                         {@code [Ljava.lang.Object;}, {@code java.lang.String}
     * @return the Java form: {@code byte[]}, {@code java.lang.Object[]}, {@code java.lang.String}; a hidden class
     *         (a lambda), which JFR names {@code p.T$$Lambda.0x…}, as the class histogram and
     *         {@code Class.getName()} do: {@code p.T$$Lambda/0x…}
     */
    static String javaName(String descriptorOrName) {
        int dims = 0;
        while (dims < descriptorOrName.length() && descriptorOrName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return HIDDEN_SUFFIX.matcher(descriptorOrName).replaceFirst("/$1");
        }
        String element = descriptorOrName.substring(dims);
        String base = switch (element) {
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "Z" -> "boolean";
            default -> element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1).replace('/', '.') : element;
        };
        return base + "[]".repeat(dims);
    }

    private static final java.util.regex.Pattern HIDDEN_SUFFIX = java.util.regex.Pattern.compile("\\.(0x[0-9a-f]+)$");

    /** @return the class name without its package: {@code HashMap$Node}, {@code byte[]} */
    static String simpleName(String javaName) {
        return javaName.substring(javaName.lastIndexOf('.') + 1);
    }
}
