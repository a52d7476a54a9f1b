package io.lakehouseops.quality;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationRunBuilder;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Completeness;
import com.amazon.deequ.analyzers.Mean;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.Uniqueness;
import com.amazon.deequ.analyzers.runners.AnalyzerContext;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import com.amazon.deequ.repository.ResultKey;
import com.amazon.deequ.repository.memory.InMemoryMetricsRepository;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The one place that builds Deequ checks (its Scala API takes every argument from Java,
 * defaults included). All rules and metrics go into one VerificationSuite run, so Deequ shares
 * one scan among every scan-shareable analyzer (plus one per uniqueness group whose share is
 * not known already); several groups of rows (a backfill chunk's event dates) are judged
 * together from GroupedMetrics.
 */
public final class DeequAdapter {
  private DeequAdapter() {}

  /** Deequ's verdict per rule, plus the metrics asked for (row_count always). */
  public record Verification(List<RuleOutcome> outcomes, Map<String, Double> metrics) {}

  public static Verification verify(Dataset<Row> data, List<QualityRule> rules,
      List<AnomalyMetric> metrics) {
    return verify(data, rules, metrics, Map.of());
  }

  /**
   * As verify, with the uniqueness of some column sets already known (a key count of the same
   * rows): column set to the share of rows with a value in them whose values occur once (null:
   * no row has a value). Deequ reuses those metrics from a repository and does not count the
   * columns' frequencies again, the costliest part of a gate.
   */
  public static Verification verify(Dataset<Row> data, List<QualityRule> rules,
      List<AnomalyMetric> metrics, Map<List<String>, Double> knownUniqueness) {
    Suite suite = new Suite(rules, metrics);
    VerificationRunBuilder run = new VerificationSuite().onData(data)
        .addChecks(seq(new ArrayList<>(suite.checks.keySet())))
        .addRequiredAnalyzers(seq(suite.metricAnalyzers()));
    Map<Analyzer<?, Metric<?>>, Metric<?>> known = suite.uniqueness(knownUniqueness);
    if (!known.isEmpty()) {
      InMemoryMetricsRepository repository = new InMemoryMetricsRepository();
      ResultKey key = new ResultKey(0L, scala.collection.immutable.Map$.MODULE$.<String, String>empty());
      repository.save(key, context(known));
      run = run.useRepository(repository).reuseExistingResultsForKey(key, false);
    }
    VerificationResult result = run.run();
    Map<Check, CheckResult> checkResults = JavaConverters.mapAsJavaMap(result.checkResults());
    return suite.verification(checkResults::get, JavaConverters.mapAsJavaMap(result.metrics()));
  }

  /**
   * The verdict and metrics of each group of rows, as verify gives them on the group's rows
   * alone, from one pass over all of them (GroupedMetrics) instead of one Deequ run per group.
   * group: the column whose values name the groups (an event date); the keys of the result.
   */
  public static Map<Object, Verification> verifyEach(Dataset<Row> data, Column group,
      List<QualityRule> rules, List<AnomalyMetric> metrics) {
    Suite suite = new Suite(rules, metrics);
    Set<Analyzer<?, Metric<?>>> analyzers = new LinkedHashSet<>(suite.metricAnalyzers());
    suite.checks.keySet().forEach(check -> analyzers.addAll(JavaConverters.setAsJavaSet(check.requiredAnalyzers())));
    Map<Object, Verification> verifications = new LinkedHashMap<>();
    GroupedMetrics.compute(data, group, analyzers).forEach((key, computed) -> {
      AnalyzerContext context = context(computed);
      verifications.put(key, suite.verification(check -> check.evaluate(context), computed));
    });
    return verifications;
  }

  /** The checks (one per rule) and the metric analyzers of one gate. */
  private static final class Suite {
    private final Map<Check, QualityRule> checks = new LinkedHashMap<>();
    private final Analyzer<?, Metric<?>> size = cast(new Size(Option.empty()));
    private final Map<String, Analyzer<?, Metric<?>>> metricAnalyzers = new LinkedHashMap<>();

    Suite(List<QualityRule> rules, List<AnomalyMetric> metrics) {
      for (QualityRule rule : rules) {
        checks.put(check(rule), rule);
      }
      for (AnomalyMetric metric : metrics) {
        metricAnalyzers.put(metric.id(), "mean".equals(metric.metric())
            ? cast(new Mean(metric.column(), Option.empty()))
            : cast(new Completeness(metric.column(), Option.empty(), Option.empty())));
      }
    }

    /**
     * The uniqueness metrics of the checks' column sets whose share is known, as Deequ makes
     * them; a rule may list the columns in any order (the share is the same).
     */
    Map<Analyzer<?, Metric<?>>, Metric<?>> uniqueness(Map<List<String>, Double> shares) {
      Map<Set<String>, Double> bySet = new HashMap<>();
      shares.forEach((columns, share) -> bySet.put(new HashSet<>(columns), share));
      Map<Analyzer<?, Metric<?>>, Metric<?>> metrics = new LinkedHashMap<>();
      for (Check check : checks.keySet()) {
        for (Analyzer<?, Metric<?>> analyzer : JavaConverters.setAsJavaSet(check.requiredAnalyzers())) {
          if ((Object) analyzer instanceof Uniqueness unique) {
            Set<String> columns = new HashSet<>(JavaConverters.seqAsJavaList(unique.groupingColumns()));
            if (bySet.containsKey(columns)) {
              metrics.put(analyzer, unique.fromAggregationResult(RowFactory.create(bySet.get(columns)), 0,
                  Option.empty()));
            }
          }
        }
      }
      return metrics;
    }

    List<Analyzer<?, Metric<?>>> metricAnalyzers() {
      List<Analyzer<?, Metric<?>>> all = new ArrayList<>();
      all.add(size);
      all.addAll(metricAnalyzers.values());
      return all;
    }

    Verification verification(Function<Check, CheckResult> results,
        Map<Analyzer<?, Metric<?>>, Metric<?>> computed) {
      List<RuleOutcome> outcomes = new ArrayList<>();
      for (Map.Entry<Check, QualityRule> entry : checks.entrySet()) {
        QualityRule rule = entry.getValue();
        ConstraintResult constraint = JavaConverters.seqAsJavaList(
            results.apply(entry.getKey()).constraintResults()).get(0);
        boolean passed = constraint.status() == ConstraintStatus.Success();
        Double value = constraint.metric().isDefined() ? value(constraint.metric().get()) : null;
        String message = passed ? null : constraint.message().isDefined()
            ? constraint.message().get() : "failed";
        outcomes.add(new RuleOutcome(rule.id(), rule.level(), passed, value, message));
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

  private static Check check(QualityRule rule) {
    scala.Enumeration.Value level = rule.level() == RuleLevel.ERROR
        ? CheckLevel.Error() : CheckLevel.Warning();
    Check check = new Check(level, rule.id(), seq(List.of()));
    return switch (rule.kind()) {
      case COMPLETENESS -> check.hasCompleteness(rule.column(), atLeast(rule.min()), Option.empty(), Option.empty());
      case UNIQUE -> check.hasUniqueness(seq(rule.columns()), atLeast(1.0), Option.empty(), Option.empty());
      case ROW_COUNT -> check.hasSize(within(rule.min(), rule.max()), Option.empty());
      default -> check.satisfies(RulePredicates.predicate(rule), rule.id(), atLeast(rule.minShare()),
          Option.empty(), JavaConverters.asScalaBuffer(rule.columns()).toList(), Option.empty());
    };
  }

  private static AnalyzerContext context(Map<Analyzer<?, Metric<?>>, Metric<?>> metrics) {
    return new AnalyzerContext(JavaConverters.mapAsScalaMap(metrics)
        .toMap(scala.Predef$.MODULE$.<scala.Tuple2<Analyzer<?, Metric<?>>, Metric<?>>>$conforms()));
  }

  static Double value(Metric<?> metric) {
    if (metric == null || metric.value().isFailure()) {
      return null;
    }
    return ((Number) metric.value().get()).doubleValue();
  }

  @SuppressWarnings("unchecked")
  static Analyzer<?, Metric<?>> cast(Analyzer<?, ?> analyzer) {
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
