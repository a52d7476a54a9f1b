package io.lakehouseops.compact;

import io.lakehouseops.run.BadInputException;
import io.lakehouseops.iceberg.TableFiles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * The partitions holding files that tier moved to a colder class: rewriting them would cost
 * retrieval and early-deletion fees, so compaction leaves them out unless --include-cold.
 */
final class ColdPartitions {
  /** The filter that leaves cold partitions out, and how many files they hold. */
  record Exclusion(Expression keep, long filesSkipped, long partitions) {}

  private ColdPartitions() {}

  static Exclusion of(Table table, Set<String> coldPaths, String eventTime) {
    if (coldPaths.isEmpty()) {
      return new Exclusion(Expressions.alwaysTrue(), 0, 0);
    }
    Map<String, Expression> coldRanges = new LinkedHashMap<>();
    var files = TableFiles.list(table, eventTime);
    for (TableFiles.TableFile file : files) {
      if (coldPaths.contains(file.path())) {
        if (file.partitionRange() == null) {
          throw new BadInputException("Cannot leave the cold files of " + table.name() + " out: "
              + "they are not in a time partition; pass --include-cold, or --where to pick partitions");
        }
        coldRanges.putIfAbsent(file.partition(), file.partitionRange());
      }
    }
    long skipped = files.stream().filter(f -> coldRanges.containsKey(f.partition())).count();
    Expression cold = coldRanges.values().stream().reduce(Expressions.alwaysFalse(), Expressions::or);
    return new Exclusion(Expressions.not(cold), skipped, coldRanges.size());
  }
}
