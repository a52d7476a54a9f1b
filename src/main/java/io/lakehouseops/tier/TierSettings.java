package io.lakehouseops.tier;

import com.typesafe.config.Config;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.storage.PriceTable;
import java.time.LocalDate;
import java.util.List;

/** What tier does: its rules, the day ages are measured from, how many copies at once. */
public record TierSettings(List<TierRule> rules, LocalDate asOf, int concurrency, int maxAttempts,
    PriceTable prices, boolean dryRun) {

  /**
   * The rules that apply, first found: --rule, the dataset's tiering.rules, lakehouse.tier.rules
   * (health asks the same question, without --rule). Empty when none is set.
   */
  public static List<TierRule> rules(Config config, List<String> cliRules, List<String> datasetRules) {
    if (cliRules != null && !cliRules.isEmpty()) {
      return cliRules.stream().map(r -> TierRule.parse(r, "--rule")).toList();
    }
    if (datasetRules != null && !datasetRules.isEmpty()) {
      return datasetRules.stream().map(r -> TierRule.parse(r, "the dataset's tiering.rules")).toList();
    }
    return config.getStringList("lakehouse.tier.rules").stream()
        .map(r -> TierRule.parse(r, "lakehouse.tier.rules")).toList();
  }

  public static TierSettings resolve(Config config, List<String> cliRules, List<String> datasetRules,
      LocalDate asOf, Integer concurrency, boolean dryRun) {
    Config tier = config.getConfig("lakehouse.tier");
    List<TierRule> rules = rules(config, cliRules, datasetRules);
    if (rules.isEmpty()) {
      throw new BadInputException("Cannot tier: no rules; give --rule 30d=STANDARD_IA or set "
          + "lakehouse.tier.rules or the dataset's tiering.rules");
    }
    int threads = concurrency != null ? concurrency : tier.getInt("concurrency");
    if (threads < 1) {
      throw new BadInputException("Invalid --concurrency " + threads + ": at least 1");
    }
    return new TierSettings(rules, asOf != null ? asOf : LocalDate.now(java.time.ZoneOffset.UTC), threads,
        tier.getInt("max-attempts"), PriceTable.from(tier), dryRun);
  }
}
