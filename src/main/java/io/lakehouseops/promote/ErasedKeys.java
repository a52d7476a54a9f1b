package io.lakehouseops.promote;

import io.lakehouseops.opstables.ErasureLedger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys erasure requests removed from a dataset (ops.erasure_ledger), withheld from every
 * publish: a promote or backfill of raw files that still hold them (no --purge-raw) never
 * brings an erased row back. Read once per run; nothing to do when the ledger has none.
 */
final class ErasedKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ErasedKeys.class);

  private final ErasureLedger ledger;
  private final String dataset;
  private Map<List<String>, Dataset<Row>> keys;

  ErasedKeys(ErasureLedger ledger, String dataset) {
    this.ledger = ledger;
    this.dataset = dataset;
  }

  /** The rows whose key no erasure named. */
  Dataset<Row> without(Dataset<Row> rows) {
    Dataset<Row> kept = rows;
    for (Map.Entry<List<String>, Dataset<Row>> erased : applicable(rows).entrySet()) {
      Dataset<Row> hashes = erased.getValue();
      kept = kept.join(functions.broadcast(hashes),
          ErasureLedger.keyHash(erased.getKey()).equalTo(hashes.col("key_hash")), "left_anti");
    }
    return kept;
  }

  /** How many of the rows an erasure named (0, without a Spark job, when none applies). */
  long count(Dataset<Row> rows, String source) {
    long erased = 0;
    for (Map.Entry<List<String>, Dataset<Row>> entry : applicable(rows).entrySet()) {
      Dataset<Row> hashes = entry.getValue();
      erased += rows.join(functions.broadcast(hashes),
          ErasureLedger.keyHash(entry.getKey()).equalTo(hashes.col("key_hash")), "left_semi").count();
    }
    if (erased > 0) {
      LOG.info("Withheld {} rows of {} whose keys erasure requests removed ({})", erased, source, ledger.table());
    }
    return erased;
  }

  /** The erased key sets whose columns the rows have. */
  private Map<List<String>, Dataset<Row>> applicable(Dataset<Row> rows) {
    if (keys == null) {
      keys = ledger.erasedKeys(dataset);
    }
    Set<String> columns = new HashSet<>(Arrays.asList(rows.columns()));
    return keys.entrySet().stream().filter(e -> columns.containsAll(e.getKey()))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
