package io.lakehouseops.quality;

import java.util.List;

/**
 * One configured rule, validated. {@code id} names it in reports ("complete(event_id)");
 * {@code path} is its HOCON path for error messages. Row-level rules have a SQL predicate a
 * good row satisfies ({@link RulePredicates}); the others are checked on the partition.
 */
public record QualityRule(
    RuleKind kind,
    RuleLevel level,
    List<String> columns,
    Double min,
    Double max,
    List<String> values,
    String regex,
    String expression,
    String path) {

  /** Rules a single row can fail (so quarantine-rows can pick those rows out). */
  public boolean isRowLevel() {
    return kind.rowLevel();
  }

  public String column() {
    return columns.isEmpty() ? null : columns.get(0);
  }

  /** Share of rows that must pass a row-level rule. */
  public double minShare() {
    return min == null || !isRowLevel() || kind == RuleKind.RANGE ? 1.0 : min;
  }

  public String id() {
    return switch (kind) {
      case ROW_COUNT -> kind.configName();
      case SATISFIES -> "satisfies(" + expression + ")";
      default -> kind.configName() + "(" + String.join(",", columns) + ")";
    };
  }
}
