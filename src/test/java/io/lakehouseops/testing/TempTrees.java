package io.lakehouseops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directory trees of the tests, removed when the JVM exits (each run left ~0.5 GB in /tmp). */
public final class TempTrees {
  private TempTrees() {}

  /** A new temporary directory, deleted with everything in it when the JVM exits. */
  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete " + dir));
    return dir;
  }

  /** Deletes the tree, best effort: what cannot be deleted is left. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // Left for the OS's temp cleaning; the run's result does not depend on it.
    }
  }
}
