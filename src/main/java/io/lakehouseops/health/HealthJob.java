package io.lakehouseops.health;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.ops.JobOutcome;
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

  public HealthJob(SparkSession spark, HealthSettings settings, List<TableRef> tables) {
    this.spark = spark;
    this.settings = settings;
    this.tables = tables;
  }

  public JobOutcome execute() {
    TableHealthReader reader = new TableHealthReader(spark, settings.smallFileRatio());
    List<HealthResult.TableReport> reports = new ArrayList<>();
    Set<String> actions = new LinkedHashSet<>();
    for (TableRef table : tables) {
      TableHealth health = reader.measure(table);
      List<Recommendation> recommendations = Recommendations.of(health, settings);
      recommendations.forEach(r -> actions.add(r.action()));
      reports.add(new HealthResult.TableReport(health, recommendations));
    }
    String message = actions.isEmpty() ? "no maintenance needed" : "recommended: " + actions;
    return new JobOutcome(io.lakehouseops.ops.RunStatus.SUCCEEDED,
        new HealthResult(reports, List.copyOf(actions)), message);
  }
}
