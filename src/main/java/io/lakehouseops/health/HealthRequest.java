package io.lakehouseops.health;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.tier.TierRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What health looks at: the tables, the dataset each curated one belongs to (for its SLA and
 * retention), the tiering rules, the moment ages and lags are measured from, and the actions
 * that make the run fail (exit 4) when recommended.
 */
public record HealthRequest(
    List<TableRef> tables,
    Map<TableRef, DatasetSettings> datasets,
    List<TierRule> tieringRules,
    Instant asOf,
    Set<String> failOn) {}
