package io.lakehouseops.iceberg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.spark.CommitMetadata;

/**
 * The run's lineage (lakehouse.command, lakehouse.run-id, lakehouse.dag-run-id) for every
 * commit it makes, including those that set no properties of their own: a table's first,
 * empty snapshot, an ops table's append, an Iceberg action's commit. Held per thread for the
 * run; Spark writes get it through Iceberg's CommitMetadata, which holds one level only (a
 * nested use clears the outer), so each write site asks for it (sparkWrites), and commits made
 * through Iceberg's API get it from set.
 */
public final class RunLineage {
  private static final ThreadLocal<Map<String, String>> CURRENT = ThreadLocal.withInitial(Map::of);

  private RunLineage() {}

  public static <T> T around(String command, String runId, String dagRunId, Callable<T> work) throws Exception {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("lakehouse.command", command);
    properties.put("lakehouse.run-id", runId);
    if (dagRunId != null) {
      properties.put("lakehouse.dag-run-id", dagRunId);
    }
    CURRENT.set(Map.copyOf(properties));
    try {
      return work.call();
    } finally {
      CURRENT.remove();
    }
  }

  /** The run's properties set on a commit made through Iceberg's API. */
  public static <T extends SnapshotUpdate<T>> T set(T update) {
    T result = update;
    for (Map.Entry<String, String> property : CURRENT.get().entrySet()) {
      result = result.set(property.getKey(), property.getValue());
    }
    return result;
  }

  /** Runs Spark writes whose commits carry the run's properties and these (which win). */
  public static <T> T sparkWrites(Map<String, String> extra, Callable<T> work) {
    Map<String, String> properties = new LinkedHashMap<>(CURRENT.get());
    properties.putAll(extra);
    return CommitMetadata.withCommitProperties(properties, work, RuntimeException.class);
  }

  /** As above, with the run's properties alone. */
  public static void sparkWrites(Runnable work) {
    sparkWrites(Map.of(), () -> {
      work.run();
      return null;
    });
  }
}
