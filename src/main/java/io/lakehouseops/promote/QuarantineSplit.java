package io.lakehouseops.promote;

import io.lakehouseops.quality.GateResult;
import io.lakehouseops.quality.QualityGate;
import io.lakehouseops.quality.QualityRule;
import io.lakehouseops.quality.QualitySettings;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Decides what a gate verdict means for the rows. Passed: publish all. Failed, with
 * on-failure = quarantine-rows, when only row-level rules failed and the failing rows' share
 * is at most max-quarantine-fraction: quarantine those rows, publish the rest. Otherwise the
 * whole partition is quarantined.
 */
final class QuarantineSplit {
  private static final String REASONS = "_quarantine_reasons";
  private final GateResult gate;
  private final Dataset<Row> cleaned;
  private final Dataset<Row> flagged;
  private final boolean publishable;
  private final boolean hasBadRows;

  QuarantineSplit(QualitySettings settings, GateResult gate, Dataset<Row> cleaned) {
    this.gate = gate;
    this.cleaned = cleaned;
    List<QualityRule> failedRowRules = settings.rules().stream()
        .filter(r -> gate.failedRules().contains(r.id()) && r.isRowLevel()).toList();
    boolean onlyRowRulesFailed = !gate.passed()
        && failedRowRules.size() == gate.failedRules().size();
    if (gate.passed() || !settings.quarantineRows() || !onlyRowRulesFailed) {
      this.flagged = null;
      this.publishable = gate.passed();
      this.hasBadRows = false;
      return;
    }
    this.flagged = cleaned.withColumn(REASONS, QualityGate.rowFailures(failedRowRules));
    long total = cleaned.count();
    long bad = badRows().count();
    this.publishable = total > 0 && (double) bad / total <= settings.maxQuarantineFraction();
    this.hasBadRows = bad > 0;
  }

  boolean publishable() {
    return publishable;
  }

  boolean hasBadRows() {
    return hasBadRows;
  }

  Dataset<Row> goodRows() {
    return flagged == null ? cleaned
        : flagged.filter(functions.size(functions.col(REASONS)).equalTo(0)).drop(REASONS);
  }

  Dataset<Row> badRows() {
    return flagged.filter(functions.size(functions.col(REASONS)).gt(0));
  }

  /** The whole partition, each row with every failed rule as its reason. */
  Dataset<Row> allRows() {
    return cleaned.withColumn(REASONS, functions.array(
        gate.failedRules().stream().map(functions::lit).toArray(Column[]::new)));
  }
}
