package io.lakehouseops.health;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.retention.RetentionJob;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.tier.TierRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/** Says which maintenance each table needs, from metadata only. */
public final class HealthJob {
  private final SparkSession spark;
  private final HealthSettings settings;
  private final List<TableRef> tables;
  private final TieringLog tieringLog;
  private final List<TierRule> tieringRules;

  private final Map<TableRef, RetentionJob> retention;

  /** retention: the retention of each table whose dataset has a policy. */
  public HealthJob(SparkSession spark, HealthSettings settings, List<TableRef> tables,
      TieringLog tieringLog, List<TierRule> tieringRules, Map<TableRef, RetentionJob> retention) {
    this.spark = spark;
    this.retention = retention;
    this.settings = settings;
    this.tables = tables;
    this.tieringLog = tieringLog;
    this.tieringRules = tieringRules;
  }

  public JobOutcome execute() {
    TableHealthReader reader = new TableHealthReader(spark, settings.smallFileRatio(),
        settings.compactMinInputFiles(), tieringLog);
    List<HealthResult.TableReport> reports = new ArrayList<>();
    Set<String> actions = new LinkedHashSet<>();
    for (TableRef table : tables) {
      TableHealth health = reader.measure(table, tieringRules);
      List<Recommendation> recommendations = new ArrayList<>(Recommendations.of(health, settings));
      retentionDue(table).ifPresent(recommendations::add);
      recommendations.forEach(r -> actions.add(r.action()));
      reports.add(new HealthResult.TableReport(health, recommendations));
    }
    String message = actions.isEmpty() ? "no maintenance needed" : "recommended: " + actions;
    return new JobOutcome(io.lakehouseops.run.RunStatus.SUCCEEDED,
        new HealthResult(reports, List.copyOf(actions)), message);
  }

  /** Partitions past the dataset's retention (from metadata): run retention first. */
  private java.util.Optional<Recommendation> retentionDue(TableRef table) {
    RetentionJob job = retention.get(table);
    if (job == null) {
      return java.util.Optional.empty();
    }
    return job.partitionsPastLimit().filter(n -> n > 0).map(n -> new Recommendation("retention",
        n + " partitions are older than the dataset's retention and no hold keeps them",
        "lakehouse-ops retention --table " + table));
  }
}
