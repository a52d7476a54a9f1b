package io.lakehouseops.quality;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Completeness;
import com.amazon.deequ.analyzers.Mean;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.checks.CheckWithLastConstraintFilterable;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The one place that calls Deequ (its Scala API takes every argument from Java, defaults
 * included). All rules and metrics go into one VerificationSuite run, so Deequ shares one scan
 * among every scan-shareable analyzer (plus one per uniqueness group), also when they are
 * evaluated for several groups of rows at once.
 */
public final class DeequAdapter {
  private DeequAdapter() {}

  /** Deequ's verdict per rule, plus the metrics asked for (row_count always). */
  public record Verification(List<RuleOutcome> outcomes, Map<String, Double> metrics) {}

  public static Verification verify(Dataset<Row> data, List<QualityRule> rules,
      List<AnomalyMetric> metrics) {
    return run(data, Map.of("all", Option.empty()), rules, metrics).get("all");
  }

  /**
   * The same verdicts and metrics for each group of rows (a backfill chunk's event dates), in
   * one run: every rule and metric is filtered to its group with Deequ's `where`, so the
   * scan-shareable ones of all groups share one scan (uniqueness still groups per filter).
   * filters: group name to a SQL condition on the rows.
   */
  public static Map<String, Verification> verifyEach(Dataset<Row> data, Map<String, String> filters,
      List<QualityRule> rules, List<AnomalyMetric> metrics) {
    Map<String, Option<String>> wheres = new LinkedHashMap<>();
    filters.forEach((name, filter) -> wheres.put(name, Option.apply(filter)));
    return run(data, wheres, rules, metrics);
  }

  private static Map<String, Verification> run(Dataset<Row> data, Map<String, Option<String>> wheres,
      List<QualityRule> rules, List<AnomalyMetric> metrics) {
    Map<String, GroupChecks> groups = new LinkedHashMap<>();
    List<Check> checks = new ArrayList<>();
    List<Analyzer<?, Metric<?>>> analyzers = new ArrayList<>();
    wheres.forEach((name, where) -> {
      GroupChecks group = new GroupChecks(where, rules, metrics);
      groups.put(name, group);
      checks.addAll(group.checks.keySet());
      analyzers.addAll(group.analyzers());
    });
    VerificationResult result = new VerificationSuite().onData(data)
        .addChecks(seq(checks))
        .addRequiredAnalyzers(seq(analyzers))
        .run();
    Map<Check, CheckResult> checkResults = JavaConverters.mapAsJavaMap(result.checkResults());
    Map<Analyzer<?, Metric<?>>, Metric<?>> computed = JavaConverters.mapAsJavaMap(result.metrics());
    Map<String, Verification> verifications = new LinkedHashMap<>();
    groups.forEach((name, group) -> verifications.put(name, group.verification(checkResults, computed)));
    return verifications;
  }

  /** One group's checks (a rule each) and metric analyzers, filtered to its rows. */
  private static final class GroupChecks {
    private final Map<Check, QualityRule> checks = new LinkedHashMap<>();
    private final Analyzer<?, Metric<?>> size;
    private final Map<String, Analyzer<?, Metric<?>>> metricAnalyzers = new LinkedHashMap<>();

    GroupChecks(Option<String> where, List<QualityRule> rules, List<AnomalyMetric> metrics) {
      for (QualityRule rule : rules) {
        CheckWithLastConstraintFilterable check = check(rule);
        checks.put(where.isDefined() ? check.where(where.get()) : check, rule);
      }
      size = cast(new Size(where));
      for (AnomalyMetric metric : metrics) {
        metricAnalyzers.put(metric.id(), "mean".equals(metric.metric())
            ? cast(new Mean(metric.column(), where))
            : cast(new Completeness(metric.column(), where, Option.empty())));
      }
    }

    List<Analyzer<?, Metric<?>>> analyzers() {
      List<Analyzer<?, Metric<?>>> all = new ArrayList<>();
      all.add(size);
      all.addAll(metricAnalyzers.values());
      return all;
    }

    Verification verification(Map<Check, CheckResult> checkResults,
        Map<Analyzer<?, Metric<?>>, Metric<?>> computed) {
      List<RuleOutcome> outcomes = new ArrayList<>();
      for (Map.Entry<Check, QualityRule> entry : checks.entrySet()) {
        QualityRule rule = entry.getValue();
        ConstraintResult constraint = JavaConverters.seqAsJavaList(
            checkResults.get(entry.getKey()).constraintResults()).get(0);
        boolean passed = constraint.status() == ConstraintStatus.Success();
        Double value = constraint.metric().isDefined() ? value(constraint.metric().get()) : null;
        String message = passed ? null : constraint.message().isDefined()
            ? constraint.message().get() : "failed";
        outcomes.add(new RuleOutcome(rule.id(), rule.level().name().toLowerCase(java.util.Locale.ROOT),
            passed, value, message));
      }
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("row_count", value(computed.get(size)));
      metricAnalyzers.forEach((id, analyzer) -> {
        Double v = value(computed.get(analyzer));
        // Completeness is the non-null share; the configured metric is the null rate.
        values.put(id, v != null && id.startsWith("null-rate") ? 1.0 - v : v);
      });
      return new Verification(outcomes, values);
    }
  }

  private static CheckWithLastConstraintFilterable check(QualityRule rule) {
    scala.Enumeration.Value level = rule.level() == RuleLevel.ERROR
        ? CheckLevel.Error() : CheckLevel.Warning();
    Check check = new Check(level, rule.id(), seq(List.of()));
    return switch (rule.type()) {
      case "completeness" -> check.hasCompleteness(rule.column(), atLeast(rule.min()), Option.empty(), Option.empty());
      case "unique" -> check.hasUniqueness(seq(rule.columns()), atLeast(1.0), Option.empty(), Option.empty());
      case "row-count" -> check.hasSize(within(rule.min(), rule.max()), Option.empty());
      default -> check.satisfies(RulePredicates.predicate(rule), rule.id(), atLeast(rule.minShare()),
          Option.empty(), JavaConverters.asScalaBuffer(rule.columns()).toList(), Option.empty());
    };
  }

  private static Double value(Metric<?> metric) {
    if (metric == null || metric.value().isFailure()) {
      return null;
    }
    return ((Number) metric.value().get()).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static Analyzer<?, Metric<?>> cast(Analyzer<?, ?> analyzer) {
    return (Analyzer<?, Metric<?>>) analyzer;
  }

  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return JavaConverters.asScalaBuffer(list).toSeq();
  }

  private static Assertion atLeast(double min) {
    return new Assertion(v -> v >= min - 1e-12);
  }

  private static Assertion within(Double min, Double max) {
    return new Assertion(v -> (min == null || v >= min) && (max == null || v <= max));
  }

  /** A Scala Double/Long => Boolean assertion for Deequ, from a Java predicate. */
  private static final class Assertion extends AbstractFunction1<Object, Object> implements Serializable {
    private final SerializablePredicate predicate;

    Assertion(SerializablePredicate predicate) {
      this.predicate = predicate;
    }

    @Override
    public Object apply(Object value) {
      return predicate.test(((Number) value).doubleValue());
    }
  }

  private interface SerializablePredicate extends DoublePredicate, Serializable {}
}
