package io.lakehouseops.promote;

import io.lakehouseops.iceberg.SchemaEvolution;
import io.lakehouseops.quality.GateResult;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One partition on the shared read + contract + clean + gate path: no data, a broken schema
 * contract, cleaned rows (read), or cleaned rows with the gate's verdict (gated). Close it to
 * release the cached rows.
 */
public final class StagedPartition implements AutoCloseable {
  /** How far the partition got. */
  public enum Stage { NO_DATA, SCHEMA_BROKEN, READ, GATED }

  private final RawPartition partition;
  private final Stage stage;
  private final String source;
  private final PromoteReport report;
  private final SchemaEvolution.Plan plan;
  /** What is cached for the cleaned rows (released on close); cleaned may be a view of it. */
  private final Dataset<Row> cached;
  private final Dataset<Row> cleaned;
  private final GateResult gate;
  /** The uniqueness of column sets of the cleaned rows, known from their key count (DeequAdapter.verify). */
  private final Map<List<String>, Double> knownUniqueness;

  /** A partition without rows in its source; plan: the table changes it would need, or null. */
  static StagedPartition noData(RawPartition partition, String source, PromoteReport report, SchemaEvolution.Plan plan) {
    return new StagedPartition(partition, Stage.NO_DATA, source, report, plan, null, null, null, Map.of());
  }

  /** A partition whose writer schemas break the contract (or the table's): nothing read. */
  static StagedPartition schemaBroken(RawPartition partition, String source, PromoteReport report,
      SchemaEvolution.Plan plan) {
    return new StagedPartition(partition, Stage.SCHEMA_BROKEN, source, report, plan, null, null, null, Map.of());
  }

  /** Cleaned rows, not gated yet; cached: what to release on close (null when nothing is cached here). */
  static StagedPartition read(RawPartition partition, String source, PromoteReport report, SchemaEvolution.Plan plan,
      Dataset<Row> cached, Dataset<Row> cleaned) {
    return new StagedPartition(partition, Stage.READ, source, report, plan, cached, cleaned, null, Map.of());
  }

  private StagedPartition(RawPartition partition, Stage stage, String source, PromoteReport report,
      SchemaEvolution.Plan plan, Dataset<Row> cached, Dataset<Row> cleaned, GateResult gate,
      Map<List<String>, Double> knownUniqueness) {
    this.partition = partition;
    this.stage = stage;
    this.source = source;
    this.report = report;
    this.plan = plan;
    this.cached = cached;
    this.cleaned = cleaned;
    this.gate = gate;
    this.knownUniqueness = knownUniqueness;
  }

  /** The same read partition, with the uniqueness of column sets of its cleaned rows known. */
  StagedPartition withKnownUniqueness(Map<List<String>, Double> shares) {
    return new StagedPartition(partition, stage, source, report, plan, cached, cleaned, gate, shares);
  }

  Map<List<String>, Double> knownUniqueness() {
    return knownUniqueness;
  }

  /** The same partition with the gate's verdict. */
  StagedPartition gated(GateResult result) {
    return new StagedPartition(partition, Stage.GATED, source, report, plan, cached, cleaned, result,
        knownUniqueness);
  }

  public RawPartition partition() {
    return partition;
  }

  public Stage stage() {
    return stage;
  }

  /** Where the rows came from: the raw partition's path, or the corrected source. */
  public String source() {
    return source;
  }

  public PromoteReport report() {
    return report;
  }

  /** The curated table's schema changes this partition needs (none for corrected sources). */
  public SchemaEvolution.Plan plan() {
    return plan;
  }

  public Dataset<Row> cleaned() {
    return cleaned;
  }

  public GateResult gate() {
    return gate;
  }

  /** The rule names that blocked it: the schema's or the gate's. */
  public java.util.List<String> failedRules() {
    return report.failedRules();
  }

  @Override
  public void close() {
    if (cleaned != null) {
      cleaned.unpersist();
    }
    if (cached != null) {
      cached.unpersist();
    }
  }
}
