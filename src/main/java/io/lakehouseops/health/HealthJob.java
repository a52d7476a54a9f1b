package io.lakehouseops.health;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.tier.TierRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/** Says which maintenance each table needs, from metadata only. */
public final class HealthJob {
  private final SparkSession spark;
  private final HealthSettings settings;
  private final List<TableRef> tables;
  private final TieringLog tieringLog;
  private final List<TierRule> tieringRules;

  public HealthJob(SparkSession spark, HealthSettings settings, List<TableRef> tables,
      TieringLog tieringLog, List<TierRule> tieringRules) {
    this.spark = spark;
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
      List<Recommendation> recommendations = Recommendations.of(health, settings);
      recommendations.forEach(r -> actions.add(r.action()));
      reports.add(new HealthResult.TableReport(health, recommendations));
    }
    String message = actions.isEmpty() ? "no maintenance needed" : "recommended: " + actions;
    return new JobOutcome(io.lakehouseops.run.RunStatus.SUCCEEDED,
        new HealthResult(reports, List.copyOf(actions)), message);
  }
}
