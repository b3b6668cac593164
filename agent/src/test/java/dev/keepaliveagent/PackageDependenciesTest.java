package dev.keepaliveagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.lifecycle.Lifecycle;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the agent depend one way: no package reaches back to itself, directly or through
 * others, and {@code Agent}, the composition root, is used by nobody. Read from the compiled classes,
 * every type a class names counted (its fields, signatures and code).
 */
class PackageDependenciesTest {

    private static final String OURS = "dev/keepaliveagent/";

    @Test
    void noPackageReachesBackToItself() throws Exception {
        Map<String, Set<String>> uses = packageUses(typeUses());
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = pathBack(uses, start);
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles);
    }

    @Test
    void theCompositionRootIsUsedByNobody() throws Exception {
        Map<String, Set<String>> uses = typeUses();
        assertTrue(uses.containsKey("dev/keepaliveagent/startup/Agent"), uses.keySet()::toString);
        List<String> users = uses.entrySet().stream()
                .filter(type -> !type.getKey().startsWith("dev/keepaliveagent/startup/Agent$") && !type.getKey().equals("dev/keepaliveagent/startup/Agent")
                        && type.getValue().contains("dev/keepaliveagent/startup/Agent"))
                .map(Map.Entry::getKey).collect(Collectors.toList());
        assertEquals(List.of(), users);
        assertFalse(uses.get("dev/keepaliveagent/startup/StartUp").contains("dev/keepaliveagent/startup/Agent"));
    }

    /** A way from {@code start} through the packages it uses back to itself, shortest first; null if none. */
    private static List<String> pathBack(Map<String, Set<String>> uses, String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> next = new ArrayDeque<>(uses.getOrDefault(start, Set.of()));
        for (String first : next) {
            cameFrom.put(first, start);
        }
        while (!next.isEmpty()) {
            String at = next.poll();
            if (at.equals(start)) {
                List<String> path = new ArrayList<>();
                String step = start;
                do {
                    path.add(0, step.replace('/', '.'));
                    step = cameFrom.get(step);
                } while (!step.equals(start));
                path.add(0, start.replace('/', '.'));
                return path;
            }
            for (String used : uses.getOrDefault(at, Set.of())) {
                if (!cameFrom.containsKey(used)) {
                    cameFrom.put(used, at);
                    next.add(used);
                }
            }
        }
        return null;
    }

    private static Map<String, Set<String>> packageUses(Map<String, Set<String>> typeUses) {
        Map<String, Set<String>> uses = new TreeMap<>();
        typeUses.forEach((type, used) -> {
            Set<String> packages = uses.computeIfAbsent(packageOf(type), any -> new TreeSet<>());
            for (String other : used) {
                if (!packageOf(other).equals(packageOf(type))) {
                    packages.add(packageOf(other));
                }
            }
        });
        return uses;
    }

    private static String packageOf(String type) {
        return type.substring(0, type.lastIndexOf('/'));
    }

    /** Each of the agent's classes (nested ones as their outermost) and the agent's types it names. */
    private static Map<String, Set<String>> typeUses() throws IOException, URISyntaxException {
        Path classes = Paths.get(Lifecycle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(path -> path.toString().endsWith(".class"))::iterator) {
                ClassReader reader = new ClassReader(Files.readAllBytes(file));
                Set<String> used = uses.computeIfAbsent(outermost(reader.getClassName()), any -> new TreeSet<>());
                reader.accept(new ClassRemapper(new ClassWriter(0), new Remapper() {
                    @Override
                    public String map(String internalName) {
                        if (internalName.startsWith(OURS)) {
                            used.add(outermost(internalName));
                        }
                        return internalName;
                    }
                }), 0);
            }
        }
        uses.forEach((type, used) -> used.remove(type));
        return uses;
    }

    private static String outermost(String type) {
        int nested = type.indexOf('$');
        return nested < 0 ? type : type.substring(0, nested);
    }
}
