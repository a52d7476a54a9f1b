package io.lakehouseops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main code's packages depend on each other without a cycle, so each can be read (and
 * changed) knowing only the ones below it. Read from the sources: every reference to another
 * io.lakehouseops package, imported or written out in full.
 */
class PackageCyclesTest {
  private static final Path ROOT = Paths.get("src/main/java/io/lakehouseops");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.lakehouseops\\.(\\w+)\\.[A-Z]");

  /** package -> the packages it refers to -> the files that do. */
  private static Map<String, Map<String, Set<String>>> dependencies() throws IOException {
    Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = file.getParent().getFileName().toString();
        Map<String, Set<String>> edges = graph.computeIfAbsent(from, p -> new TreeMap<>());
        String code = Files.readString(file).replaceFirst("(?m)^package [^;]+;", "");
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          if (!m.group(1).equals(from)) {
            edges.computeIfAbsent(m.group(1), p -> new TreeSet<>()).add(file.getFileName().toString());
          }
        }
      }
    }
    return graph;
  }

  @Test
  void noPackageCycle() throws IOException {
    Map<String, Map<String, Set<String>>> graph = dependencies();
    assertThat(graph).as("packages read").containsKeys("cli", "config", "iceberg", "publish", "run", "promote");
    List<String> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      List<String> path = cycleFrom(start, start, graph, new ArrayList<>(List.of(start)), new TreeSet<>());
      if (path != null) {
        StringBuilder shown = new StringBuilder(String.join(" -> ", path));
        for (int i = 0; i + 1 < path.size(); i++) {
          shown.append("\n  ").append(path.get(i)).append(" -> ").append(path.get(i + 1)).append(" in ")
              .append(graph.get(path.get(i)).get(path.get(i + 1)));
        }
        cycles.add(shown.toString());
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  /** A path from node back to start, or null. */
  private static List<String> cycleFrom(String start, String node, Map<String, Map<String, Set<String>>> graph,
      List<String> path, Set<String> seen) {
    for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = cycleFrom(start, next, graph, path, seen);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }
}
