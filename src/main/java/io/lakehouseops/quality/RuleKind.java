package io.lakehouseops.quality;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a dataset's quality.rules may name, each with the fields it requires and those it
 * may take (besides rule and level), and whether a single row can fail it (so quarantine-rows
 * can pick that row out).
 */
public enum RuleKind {
  COMPLETE("complete", Set.of("column"), Set.of("min"), true),
  COMPLETENESS("completeness", Set.of("column", "min"), Set.of(), false),
  UNIQUE("unique", Set.of("columns"), Set.of(), false),
  RANGE("range", Set.of("column"), Set.of("min", "max"), true),
  ALLOWED_VALUES("allowed-values", Set.of("column", "values"), Set.of("min"), true),
  PATTERN("pattern", Set.of("column", "regex"), Set.of("min"), true),
  ROW_COUNT("row-count", Set.of(), Set.of("min", "max"), false),
  NON_NEGATIVE("non-negative", Set.of("column"), Set.of("min"), true),
  SATISFIES("satisfies", Set.of("expression"), Set.of("min"), true);

  private final String configName;
  private final Set<String> required;
  private final Set<String> optional;
  private final boolean rowLevel;

  RuleKind(String configName, Set<String> required, Set<String> optional, boolean rowLevel) {
    this.configName = configName;
    this.required = required;
    this.optional = optional;
    this.rowLevel = rowLevel;
  }

  /** As the config and the rule ids write it: complete, allowed-values, row-count, ... */
  public String configName() {
    return configName;
  }

  Set<String> required() {
    return required;
  }

  /** Every field the rule takes besides rule and level. */
  Set<String> fields() {
    Set<String> all = new TreeSet<>(required);
    all.addAll(optional);
    return all;
  }

  public boolean rowLevel() {
    return rowLevel;
  }

  /** The kind the config names, or null. */
  static RuleKind of(String configName) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(configName)).findFirst().orElse(null);
  }

  static List<String> configNames() {
    return Arrays.stream(values()).map(RuleKind::configName).sorted().toList();
  }
}
