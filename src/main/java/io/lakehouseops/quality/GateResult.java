package io.lakehouseops.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gate's verdict: rule outcomes (Deequ's, plus `schema` when the contract broke), anomaly
 * scores and metrics. It passes when no error-level rule failed and no anomaly blocks.
 */
public record GateResult(List<RuleOutcome> outcomes, List<AnomalyScore> anomalies,
    Map<String, Double> metrics) {

  public boolean passed() {
    return failedRules().isEmpty();
  }

  /** Error-level rules that failed, and metrics whose anomaly blocks. */
  public List<String> failedRules() {
    List<String> failed = new ArrayList<>();
    outcomes.stream().filter(o -> !o.passed() && o.level() == RuleLevel.ERROR).forEach(o -> failed.add(o.rule()));
    anomalies.stream().filter(a -> a.verdict() == AnomalyVerdict.BLOCK)
        .forEach(a -> failed.add("anomaly(" + a.metric() + ")"));
    return failed;
  }

  /** Warn-level rules that failed, and anomalies above the warning threshold. */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    outcomes.stream().filter(o -> !o.passed() && o.level() == RuleLevel.WARN)
        .forEach(o -> warnings.add(o.rule()));
    anomalies.stream().filter(a -> a.verdict() == AnomalyVerdict.WARN)
        .forEach(a -> warnings.add("anomaly(" + a.metric() + ")"));
    return warnings;
  }

  public int rulesPassed() {
    return (int) outcomes.stream().filter(RuleOutcome::passed).count()
        + (int) anomalies.stream().filter(a -> a.verdict() != AnomalyVerdict.BLOCK).count();
  }

  public int rulesFailed() {
    return failedRules().size()
        + (int) outcomes.stream().filter(o -> !o.passed() && o.level() == RuleLevel.WARN).count();
  }

  /** The largest |z| of all scored metrics (signed), or null when none could be scored. */
  public Double anomalyScore() {
    return anomalies.stream().map(AnomalyScore::zScore).filter(java.util.Objects::nonNull)
        .max(java.util.Comparator.comparingDouble(Math::abs)).orElse(null);
  }

  public long rowCount() {
    Double rows = metrics.get("row_count");
    return rows == null ? 0 : rows.longValue();
  }
}
