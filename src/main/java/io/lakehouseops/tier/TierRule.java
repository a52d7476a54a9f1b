package io.lakehouseops.tier;

import io.lakehouseops.run.BadInputException;
import io.lakehouseops.storage.StorageClass;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** "30d=STANDARD_IA": partitions older than the age go to the class. */
public record TierRule(Duration age, StorageClass target) {

  public static TierRule parse(String text, String where) {
    int eq = text == null ? -1 : text.indexOf('=');
    if (eq <= 0) {
      throw new BadInputException("Invalid tiering rule '" + text + "' in " + where
          + ": expected AGE=CLASS, e.g. 30d=STANDARD_IA");
    }
    Duration age;
    try {
      age = com.typesafe.config.ConfigFactory.parseString("a = \"" + text.substring(0, eq).trim() + "\"")
          .getDuration("a");
    } catch (com.typesafe.config.ConfigException e) {
      throw new BadInputException("Invalid age in tiering rule '" + text + "' (" + where + "): use e.g. 30d");
    }
    if (age.isNegative() || age.isZero()) {
      throw new BadInputException("Invalid age in tiering rule '" + text + "' (" + where + "): must be positive");
    }
    return new TierRule(age, StorageClass.parse(text.substring(eq + 1), where));
  }

  /** For a partition of this age, the coldest class any rule sends it to (null: stays hot). */
  public static StorageClass targetFor(List<TierRule> rules, Duration partitionAge) {
    return rules.stream().filter(r -> partitionAge.compareTo(r.age()) > 0)
        .map(TierRule::target).max(Comparator.naturalOrder()).orElse(null);
  }
}
