package io.lakehouseops.compact;

import java.util.List;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.Expression;

/**
 * For each partition with equality deletes, whether compact rewrites the data files they apply
 * to or converts them to position deletes, and why (see EqualityDeletePlanner).
 */
public record EqualityDeletePlan(List<Partition> partitions) {
  static final EqualityDeletePlan NONE = new EqualityDeletePlan(List.of());

  /** REWRITE: applied by the data-file rewrite; CONVERT: replaced by position deletes. */
  public enum Choice { REWRITE, CONVERT }

  /**
   * One partition: its spec and value, the event-time range that selects it (null if not a
   * time partition), the data files equality deletes apply to (their rows and bytes, the
   * small ones' bytes), its equality-delete files and rows, and the choice with its reason.
   */
  record Partition(int specId, StructLike value, String name, Expression range, long dataFiles, long dataRows,
      long dataBytes, long smallFileBytes, long equalityDeleteFiles, long equalityDeleteRows, Choice choice,
      String reason) {}

  /** A partition's identity across the plan and the conversion: its spec and its path. */
  static String key(org.apache.iceberg.PartitionSpec spec, StructLike partition) {
    return spec.specId() + ":" + spec.partitionToPath(partition);
  }

  List<Partition> converted() {
    return partitions.stream().filter(p -> p.choice() == Choice.CONVERT).toList();
  }

  /** The filter that leaves the converted partitions out of the data-file rewrite. */
  Expression rewriteFilter() {
    return org.apache.iceberg.expressions.Expressions.not(converted().stream().map(Partition::range)
        .reduce(org.apache.iceberg.expressions.Expressions.alwaysFalse(),
            org.apache.iceberg.expressions.Expressions::or));
  }
}
