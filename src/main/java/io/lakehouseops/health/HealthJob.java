package io.lakehouseops.health;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.retention.RetentionJob;
import io.lakehouseops.retention.RetentionPolicy;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Says which maintenance each table needs and whether each dataset is within its SLA, from
 * metadata only. Exit 4 (NEEDS_ACTION) when an action the request fails on is recommended.
 */
public final class HealthJob {
  /** The action of a dataset whose due days are not published (or that has none). */
  static final String SLA_BREACH = "sla-breach";

  private final SparkSession spark;
  private final HealthSettings settings;
  private final HealthRequest request;
  private final TieringLog tieringLog;

  public HealthJob(SparkSession spark, HealthSettings settings, HealthRequest request, TieringLog tieringLog) {
    this.spark = spark;
    this.settings = settings;
    this.request = request;
    this.tieringLog = tieringLog;
  }

  public JobOutcome execute() {
    TableHealthReader reader = new TableHealthReader(spark, settings.smallFileRatio(),
        settings.compactMinInputFiles(), tieringLog);
    List<HealthResult.TableReport> reports = new ArrayList<>();
    Set<String> actions = new LinkedHashSet<>();
    for (TableRef table : request.tables()) {
      // One pass over the table's manifests gives its health, its deletes and its newest partition.
      TableHealthReader.Measured measured = reader.measured(table, request.tieringRules());
      TableHealth health = measured.health();
      DeleteHealth deletes = DeleteHealthReader.measure(measured.table(), measured.live());
      List<Recommendation> recommendations = new ArrayList<>(Recommendations.of(health, deletes, settings));
      DatasetSettings dataset = request.datasets().get(table);
      Freshness freshness = dataset == null ? null
          : FreshnessReader.measure(dataset, request.asOf(), measured.table(), measured.live());
      if (dataset != null) {
        retentionDue(table, dataset).ifPresent(recommendations::add);
        slaBreach(freshness).ifPresent(recommendations::add);
      }
      recommendations.forEach(r -> actions.add(r.action()));
      reports.add(new HealthResult.TableReport(health, deletes, freshness, recommendations));
    }
    String message = actions.isEmpty() ? "no maintenance needed" : "recommended: " + actions;
    Set<String> failing = new LinkedHashSet<>(actions);
    failing.retainAll(request.failOn());
    RunStatus status = failing.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.NEEDS_ACTION;
    return new JobOutcome(status, new HealthResult(reports, List.copyOf(actions)),
        failing.isEmpty() ? message : message + "; failing on " + failing + " (--fail-on)");
  }

  /** Partitions past the dataset's retention (from metadata): run retention first. */
  private Optional<Recommendation> retentionDue(TableRef table, DatasetSettings dataset) {
    if (!RetentionPolicy.configured(dataset)) {
      return Optional.empty();
    }
    RetentionPolicy policy = RetentionPolicy.resolve(dataset, new RetentionPolicy.Overrides(null,
        request.asOf().atZone(ZoneOffset.UTC).toLocalDate(), false, true));
    return new RetentionJob(spark, dataset, policy).partitionsPastLimit().filter(n -> n > 0)
        .map(n -> new Recommendation("retention", n + " partitions are older than the dataset's retention and no "
            + "hold keeps them", "lakehouse-ops retention --table " + table));
  }

  /** A day due by the SLA and not published: what to promote first. */
  private static Optional<Recommendation> slaBreach(Freshness freshness) {
    if (!freshness.breached()) {
      return Optional.empty();
    }
    String first = freshness.newestEventDate() == null ? freshness.dueThrough()
        : java.time.LocalDate.parse(freshness.newestEventDate()).plusDays(1).toString();
    String reason = freshness.freshness() == FreshnessStatus.NO_DATA
        ? "no event date is published; days through " + freshness.dueThrough() + " are due (sla-hours "
            + freshness.slaHours() + ")"
        : "newest event date " + freshness.newestEventDate() + ", days through " + freshness.dueThrough()
            + " are due; " + freshness.lagHours() + " hours past the SLA of " + freshness.slaHours() + " hours";
    return Optional.of(new Recommendation(SLA_BREACH, reason,
        "lakehouse-ops promote --dataset " + freshness.dataset() + " --date " + first));
  }
}
