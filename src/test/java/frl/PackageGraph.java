package frl;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which {@code frl} package uses which, read from compiled classes, and the cycles in that graph.
 *
 * <p>Reading: a class file's constant pool names every class it touches. A class it calls,
 * creates, casts to or catches is a {@code CONSTANT_Class} entry; a class that appears only in a
 * signature (a parameter, a field's type, a generic argument, an annotation) is a descriptor such as
 * {@code Lfrl/config/LabConfig;} inside a {@code CONSTANT_Utf8} entry. Both are collected, so a
 * dependency cannot hide in a method signature. Javadoc leaves no trace in a class file, and
 * must not: a comment that names a class is not a dependency.
 *
 * <p>Cycles: Tarjan's strongly connected components, O(packages + edges). Every component of more
 * than one package is a cycle (a package's use of itself is not), reported as one concrete path.
 */
final class PackageGraph {
    private static final Pattern DESCRIPTOR = Pattern.compile("L(frl/[\\w/$]+)[;<]");

    private PackageGraph() {
    }

    /** package -> the other {@code frl} packages its classes use, for every class file under {@code classes}. */
    static Map<String, Set<String>> read(Path classes) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String own = packageOf(classes.relativize(f).toString().replace('\\', '/'));
                Set<String> uses = graph.computeIfAbsent(own, k -> new TreeSet<>());
                try (InputStream in = Files.newInputStream(f)) {
                    for (String used : referencedClasses(in)) {
                        String p = packageOf(used);
                        if (p.startsWith("frl") && !p.equals(own)) {
                            uses.add(p);
                        }
                    }
                }
            }
        }
        return graph;
    }

    /** Internal names ({@code frl/http/Json}) of every class one class file refers to. */
    static Set<String> referencedClasses(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();                       // Utf8
                case 7 -> classNames.add(in.readUnsignedShort());        // Class -> its name
                case 8, 16, 19, 20 -> in.skipBytes(2);                   // String, MethodType, Module, Package
                case 15 -> in.skipBytes(3);                              // MethodHandle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);     // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> {                                           // Long, Double: 8 bytes and two slots
                    in.skipBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> names = new TreeSet<>();
        for (int index : classNames) {
            if (!utf8[index].startsWith("[")) { // an array class is named by a descriptor: read below
                names.add(utf8[index]);
            }
        }
        for (String s : utf8) {
            if (s != null) {
                Matcher m = DESCRIPTOR.matcher(s);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** {@code frl/http/Json$1.class} or {@code frl/http/Json} -> {@code frl.http}. */
    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }

    /**
     * Packages that all reach each other (a strongly connected component), and one concrete path
     * around them, e.g. {@code [a, b, a]}; the component may hold more packages than the path.
     */
    record Cycle(Set<String> packages, List<String> path) {
        @Override
        public String toString() {
            return String.join(" -> ", path) + (packages.size() + 1 > path.size() ? "  (tangled together: " + packages + ")" : "");
        }
    }

    /** One cycle per strongly connected component of two or more packages, in package order. */
    static List<Cycle> cycles(Map<String, Set<String>> graph) {
        List<Cycle> cycles = new ArrayList<>();
        for (Set<String> component : new Tarjan(graph).components) {
            if (component.size() > 1) {
                cycles.add(new Cycle(component, pathBack(graph, component.iterator().next(), component)));
            }
        }
        cycles.sort((x, y) -> x.path().getFirst().compareTo(y.path().getFirst()));
        return cycles;
    }

    /** The shortest path from {@code start} back to itself inside {@code component} (breadth first). */
    private static List<String> pathBack(Map<String, Set<String>> graph, String start, Set<String> component) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : graph.getOrDefault(at, Set.of())) {
                if (next.equals(start) && !at.equals(start)) { // a package using itself is no cycle
                    List<String> path = new ArrayList<>();
                    for (String p = at; !p.equals(start); p = cameFrom.get(p)) {
                        path.addFirst(p);
                    }
                    path.addFirst(start);
                    path.add(start);
                    return path;
                }
                if (component.contains(next) && !next.equals(start) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException(start + " is in a component of " + component + " but no path leads back");
    }

    /** Tarjan's algorithm, recursive: a package graph is a few dozen nodes deep at most. */
    private static final class Tarjan {
        final List<Set<String>> components = new ArrayList<>();
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
            for (String node : new TreeSet<>(graph.keySet())) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
        }

        private void visit(String node) {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : graph.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                } else if (onStack.contains(next)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node))) { // node is the root of a component
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }
}
