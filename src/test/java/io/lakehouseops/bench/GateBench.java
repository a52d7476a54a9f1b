package io.lakehouseops.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.typesafe.config.ConfigFactory;
import io.lakehouseops.quality.DeequAdapter;
import io.lakehouseops.quality.QualityRule;
import io.lakehouseops.quality.QualityRuleParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * P2: the quality gate (Deequ through the project's adapter) with 1, 10 and 50 rules that can
 * share one scan, against a plain aggregate scan (count, min, max) of the same columns of the
 * same cached partition; with the Spark jobs each gate ran.
 */
final class GateBench {
  private static final List<String> NUMERIC = List.of("l_orderkey", "l_partkey", "l_suppkey", "l_linenumber",
      "l_quantity", "l_extendedprice", "l_discount", "l_tax");
  private static final List<String> TEXT = List.of("l_returnflag", "l_linestatus", "l_shipinstruct",
      "l_shipmode", "l_comment");
  private static final List<String> DATES = List.of("l_shipdate", "l_commitdate", "l_receiptdate");
  private static final int REPEATS = 3;

  private GateBench() {}

  static List<Measurement> run(BenchLakehouse lake, SparkJobCounter jobs, String partition) {
    Dataset<Row> data = lake.rawPartition(partition).cache();
    long rows = data.count();
    List<Measurement> results = new ArrayList<>();
    for (int size : List.of(1, 10, 50)) {
      List<String> ruleTexts = rules(size);
      List<QualityRule> rules = QualityRuleParser.parse(
          ConfigFactory.parseString("rules = [" + String.join("\n", ruleTexts) + "]"), "bench.rules");
      Column[] scan = scanOf(columnsOf(rules));
      DeequAdapter.verify(data, rules, List.of()); // warm-up
      data.agg(scan[0], java.util.Arrays.copyOfRange(scan, 1, scan.length)).collect();
      List<Double> gate = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int i = 0; i < REPEATS; i++) {
        gate.add(Stopwatch.seconds(() -> DeequAdapter.verify(data, rules, List.of())));
        plain.add(Stopwatch.seconds(() -> data.agg(scan[0], java.util.Arrays.copyOfRange(scan, 1, scan.length))
            .collect()));
      }
      long gateJobs = jobs.jobsOf(lake.spark(), () -> DeequAdapter.verify(data, rules, List.of()));
      long plainJobs = jobs.jobsOf(lake.spark(), () -> data.agg(scan[0], java.util.Arrays.copyOfRange(scan, 1,
          scan.length)).collect());
      results.add(Measurement.cost("P2-" + size, "gate of " + size + " rule" + (size == 1 ? "" : "s")
          + " vs plain scan", "DeequAdapter.verify, " + size + " scan-shareable rules",
          "agg(count, min, max) of the same " + columnsOf(rules).size() + " columns",
          Stopwatch.median(gate), Stopwatch.median(plain), 2.0, rows, gateJobs,
          "median of " + REPEATS + " on a cached partition; the plain scan ran " + plainJobs + " Spark jobs "
              + "(with adaptive execution an aggregate's shuffle stage is a job of its own)"));
    }
    data.unpersist();
    return results;
  }

  /** The first `size` of 50 rules over every lineitem column, none needing a second scan. */
  static List<String> rules(int size) {
    List<String> all = new ArrayList<>();
    for (String c : NUMERIC) {
      all.add("{ rule = complete, column = " + c + " }");
      all.add("{ rule = non-negative, column = " + c + " }");
      all.add("{ rule = range, column = " + c + ", min = 0, max = 1e12 }");
    }
    for (String c : TEXT) {
      all.add("{ rule = complete, column = " + c + " }");
      all.add("{ rule = pattern, column = " + c + ", regex = \"^.+$\" }");
    }
    for (String c : DATES) {
      all.add("{ rule = complete, column = " + c + " }");
    }
    all.add("{ rule = allowed-values, column = l_returnflag, values = [A, N, R] }");
    all.add("{ rule = allowed-values, column = l_linestatus, values = [F, O] }");
    all.add("{ rule = allowed-values, column = l_shipmode, values = [AIR, \"REG AIR\", RAIL, SHIP, TRUCK, MAIL, FOB] }");
    all.add("{ rule = satisfies, expression = \"l_receiptdate >= l_shipdate\", min = 0.5 }");
    all.add("{ rule = satisfies, expression = \"l_tax <= 0.08\" }");
    all.add("{ rule = satisfies, expression = \"l_discount <= 0.1\" }");
    all.add("{ rule = completeness, column = l_comment, min = 0.9 }");
    all.add("{ rule = row-count, min = 1 }");
    all.add("{ rule = completeness, column = l_shipmode, min = 0.9 }");
    all.add("{ rule = completeness, column = l_shipinstruct, min = 0.9 }");
    all.add("{ rule = completeness, column = l_linestatus, min = 0.9 }");
    all.add("{ rule = range, column = l_discount, min = 0, max = 0.1 }");
    all.add("{ rule = range, column = l_tax, min = 0, max = 0.08 }");
    if (all.size() < 50) {
      throw new IllegalStateException("only " + all.size() + " rules");
    }
    // The 10-rule set spreads over the columns, as a real gate would.
    return size == 1 ? all.subList(0, 1) : size == 10 ? every(all, all.size() / 10, 10) : all.subList(0, 50);
  }

  private static List<String> every(List<String> all, int step, int count) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; picked.size() < count; i += step) {
      picked.add(all.get(i));
    }
    return picked;
  }

  private static Set<String> columnsOf(List<QualityRule> rules) {
    Set<String> columns = new LinkedHashSet<>();
    for (QualityRule rule : rules) {
      columns.addAll(rule.columns());
      if (rule.expression() != null) {
        for (String c : NUMERIC) {
          if (rule.expression().contains(c)) {
            columns.add(c);
          }
        }
        for (String c : DATES) {
          if (rule.expression().contains(c)) {
            columns.add(c);
          }
        }
      }
    }
    return columns;
  }

  private static Column[] scanOf(Set<String> columns) {
    List<Column> aggregates = new ArrayList<>(List.of(count(lit(1))));
    for (String c : columns) {
      aggregates.add(count(col(c)));
      aggregates.add(min(col(c)));
      aggregates.add(max(col(c)));
    }
    return aggregates.toArray(Column[]::new);
  }
}
