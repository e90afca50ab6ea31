package frl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies point one way (STYLE.md): no two {@code frl} packages may use each other, directly
 * or through others. The check reads every compiled main class, so a package added later (the
 * experiment's stages, say) is covered without naming it here.
 */
class PackageCyclesTest {

    @Test
    void noPackageOfTheMainClassesTakesPartInACycle() throws Exception {
        Map<String, Set<String>> graph = PackageGraph.read(mainClasses());
        // The graph is real, not vacuously acyclic: the kit and the services are in it, with their edges
        assertTrue(graph.getOrDefault("frl.http", Set.of()).contains("frl.resilience"), graph.toString());
        assertTrue(graph.getOrDefault("frl.services", Set.of()).contains("frl.http"), graph.toString());
        assertAcyclic(graph);
    }

    @Test
    void theCheckFailsOnACycleAndNamesItsPath() {
        // Given a -> b -> c -> a beside an acyclic part (d -> a) and a package using itself (e -> e)
        Map<String, Set<String>> graph = Map.of(
                "frl.a", Set.of("frl.b"), "frl.b", Set.of("frl.c"), "frl.c", Set.of("frl.a"),
                "frl.d", Set.of("frl.a"), "frl.e", Set.of("frl.e"));
        // Then exactly one cycle is found, and the failure spells it out
        assertEquals(List.of(List.of("frl.a", "frl.b", "frl.c", "frl.a")), paths(graph));
        AssertionError e = assertThrows(AssertionError.class, () -> assertAcyclic(graph));
        assertTrue(e.getMessage().contains("frl.a -> frl.b -> frl.c -> frl.a"), e.getMessage());
    }

    @Test
    void everyCycleIsReportedEvenWhenTwoShareNoPackage() {
        // Given two separate two-package cycles and a chain between them
        Map<String, Set<String>> graph = Map.of(
                "frl.http", Set.of("frl.services"), "frl.services", Set.of("frl.http", "frl.chaos"),
                "frl.chaos", Set.of("frl.config"), "frl.config", Set.of("frl.chaos"));
        // Then both are found, each as a path from a package back to itself
        assertEquals(List.of(List.of("frl.chaos", "frl.config", "frl.chaos"), List.of("frl.http", "frl.services", "frl.http")),
                paths(graph));
    }

    @Test
    void aTangleOfThreePackagesIsNamedWhole() {
        // Given the cycles this test was written against: chaos <-> http and http <-> services
        Map<String, Set<String>> graph = Map.of("frl.chaos", Set.of("frl.http"),
                "frl.http", Set.of("frl.chaos", "frl.services"), "frl.services", Set.of("frl.http"));
        // Then one path is shown, and the message names every package of the tangle
        AssertionError e = assertThrows(AssertionError.class, () -> assertAcyclic(graph));
        assertTrue(e.getMessage().contains("frl.chaos -> frl.http -> frl.chaos  (tangled together: "
                + "[frl.chaos, frl.http, frl.services])"), e.getMessage());
    }

    @Test
    void anAcyclicGraphPasses() {
        assertEquals(List.of(), paths(Map.of(
                "frl.services", Set.of("frl.http", "frl.resilience"), "frl.http", Set.of("frl.resilience"),
                "frl.resilience", Set.of())));
    }

    @Test
    void theReaderSeesClassesUsedOnlyInSignaturesAsWellAsCallsAndConstruction() throws IOException {
        // CallContext names LabConfig and Deadline only as the types of its components
        assertTrue(referencedPackages("frl/http/CallContext.class").containsAll(Set.of("frl.config", "frl.resilience")));
        // PatternRegistry constructs breakers and bulkheads and calls the configuration
        assertTrue(referencedPackages("frl/http/PatternRegistry.class").containsAll(
                Set.of("frl.config", "frl.resilience", "frl.resilience.breaker", "frl.resilience.compose")));
    }

    private static Set<String> referencedPackages(String classFile) throws IOException {
        try (InputStream in = PackageCyclesTest.class.getClassLoader().getResourceAsStream(classFile)) {
            assertTrue(in != null, classFile + " not on the classpath");
            return PackageGraph.referencedClasses(in).stream().map(PackageGraph::packageOf).collect(Collectors.toSet());
        }
    }

    static void assertAcyclic(Map<String, Set<String>> graph) {
        List<PackageGraph.Cycle> cycles = PackageGraph.cycles(graph);
        if (!cycles.isEmpty()) {
            throw new AssertionError("package cycles (make dependencies point one way; see STYLE.md):\n  "
                    + cycles.stream().map(PackageGraph.Cycle::toString).collect(Collectors.joining("\n  ")));
        }
    }

    private static List<List<String>> paths(Map<String, Set<String>> graph) {
        return PackageGraph.cycles(graph).stream().map(PackageGraph.Cycle::path).toList();
    }

    /** target/classes, wherever the build put it: the directory a main class was loaded from. */
    private static Path mainClasses() throws URISyntaxException {
        return Path.of(frl.config.Env.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
