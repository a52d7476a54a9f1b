package io.lakehouseops.quality;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads quality.rules from the config at start-up: an unknown rule, a missing or unknown
 * field, or a bad value fails with the rule's HOCON path before any data is read.
 */
public final class QualityRuleParser {
  private QualityRuleParser() {}

  public static List<QualityRule> parse(Config quality, String path) {
    List<QualityRule> rules = new ArrayList<>();
    List<? extends ConfigObject> objects;
    try {
      objects = quality.getObjectList("rules");
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new ConfigException("Invalid configuration at " + path + ".rules: expected a list of "
          + "objects such as { rule = complete, column = event_id, level = error }");
    }
    for (int i = 0; i < objects.size(); i++) {
      rules.add(parseRule(objects.get(i), path + ".rules[" + i + "]"));
    }
    return List.copyOf(rules);
  }

  private static QualityRule parseRule(ConfigObject object, String path) {
    Config c = object.toConfig();
    if (!c.hasPath("rule")) {
      throw new ConfigException("Invalid configuration at " + path + ": missing 'rule' (one of "
          + RuleKind.configNames() + ")");
    }
    String type = c.getString("rule").trim().toLowerCase(Locale.ROOT);
    RuleKind kind = RuleKind.of(type);
    if (kind == null) {
      throw new ConfigException("Invalid configuration at " + path + ".rule: unknown rule '" + type
          + "'; known rules: " + RuleKind.configNames());
    }
    for (String required : new TreeSet<>(kind.required())) {
      if (!c.hasPath(required)) {
        throw new ConfigException("Invalid configuration at " + path + ": rule " + type
            + " needs '" + required + "'");
      }
    }
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      String key = entry.getKey();
      if (!key.equals("rule") && !key.equals("level") && !kind.fields().contains(key)) {
        throw new ConfigException("Invalid configuration at " + path + "." + key + ": rule " + type
            + " takes " + kind.fields() + " besides rule and level");
      }
    }
    RuleLevel level = level(c, path);
    List<String> columns = new ArrayList<>();
    if (c.hasPath("column")) {
      columns.add(Identifiers.requireIdentifier(c.getString("column"), "column at " + path + ".column"));
    }
    if (c.hasPath("columns")) {
      for (String column : stringList(c, "columns", path)) {
        columns.add(Identifiers.requireIdentifier(column, "column at " + path + ".columns"));
      }
      if (columns.isEmpty()) {
        throw new ConfigException("Invalid configuration at " + path + ".columns: name at least one column");
      }
    }
    Double min = number(c, "min", path);
    Double max = number(c, "max", path);
    if (min != null && max != null && min > max) {
      throw new ConfigException("Invalid configuration at " + path + ": min " + min + " is above max " + max);
    }
    if (min != null && kind != RuleKind.RANGE && kind != RuleKind.ROW_COUNT && (min < 0 || min > 1)) {
      throw new ConfigException("Invalid configuration at " + path + ".min: a share of rows in [0, 1], cannot be: " + min);
    }
    String regex = c.hasPath("regex") ? c.getString("regex") : null;
    if (regex != null) {
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new ConfigException("Invalid configuration at " + path + ".regex: " + e.getDescription());
      }
    }
    List<String> values = c.hasPath("values") ? stringList(c, "values", path) : List.of();
    String expression = c.hasPath("expression") ? c.getString("expression") : null;
    return new QualityRule(kind, level, List.copyOf(columns), min, max, values, regex, expression, path);
  }

  private static RuleLevel level(Config c, String path) {
    String level = c.hasPath("level") ? c.getString("level").trim().toLowerCase(Locale.ROOT) : "error";
    return switch (level) {
      case "error" -> RuleLevel.ERROR;
      case "warn", "warning" -> RuleLevel.WARN;
      default -> throw new ConfigException("Invalid configuration at " + path + ".level: '" + level
          + "' is not error or warn");
    };
  }

  private static Double number(Config c, String key, String path) {
    if (!c.hasPath(key)) {
      return null;
    }
    try {
      return c.getDouble(key);
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new ConfigException("Invalid configuration at " + path + "." + key + ": expected a number");
    }
  }

  private static List<String> stringList(Config c, String key, String path) {
    try {
      return List.copyOf(c.getStringList(key));
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new ConfigException("Invalid configuration at " + path + "." + key + ": expected a list of strings");
    }
  }
}
