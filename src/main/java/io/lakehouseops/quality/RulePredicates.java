package io.lakehouseops.quality;

import io.lakehouseops.config.Identifiers;
import java.util.stream.Collectors;
import org.apache.spark.sql.functions;

/**
 * The Spark SQL predicate a good row satisfies, for each row-level rule. Deequ scores the
 * share of rows that satisfy it; quarantine-rows uses the same predicate to pick out the bad
 * rows, so both always agree. Columns are validated identifiers, values are rendered as SQL
 * literals by Spark itself: nothing from the config is pasted in raw except the `satisfies`
 * expression, which is a predicate by definition (and is parsed before use).
 */
public final class RulePredicates {
  private RulePredicates() {}

  public static String predicate(QualityRule rule) {
    String c = rule.column() == null ? null : Identifiers.quote(rule.column());
    return switch (rule.kind()) {
      case COMPLETE -> c + " IS NOT NULL";
      case NON_NEGATIVE -> c + " IS NULL OR " + c + " >= 0";
      case RANGE -> c + " IS NULL OR (" + bounds(c, rule) + ")";
      case ALLOWED_VALUES -> c + " IS NULL OR " + c + " IN ("
          + rule.values().stream().map(RulePredicates::literal).collect(Collectors.joining(", ")) + ")";
      case PATTERN -> c + " IS NULL OR " + c + " RLIKE " + literal(rule.regex());
      case SATISFIES -> "(" + rule.expression() + ")";
      default -> throw new IllegalArgumentException("Not a row-level rule: " + rule.kind().configName());
    };
  }

  private static String bounds(String column, QualityRule rule) {
    String lower = rule.min() == null ? "true" : column + " >= " + rule.min();
    String upper = rule.max() == null ? "true" : column + " <= " + rule.max();
    return lower + " AND " + upper;
  }

  private static String literal(String value) {
    return functions.lit(value).expr().sql();
  }
}
