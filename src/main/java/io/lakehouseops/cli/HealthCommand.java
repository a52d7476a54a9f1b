package io.lakehouseops.cli;

import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.health.HealthJob;
import io.lakehouseops.health.HealthSettings;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.retention.RetentionJob;
import io.lakehouseops.retention.RetentionPolicy;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.tier.TierRule;
import io.lakehouseops.tier.TierSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** Reports which maintenance a table needs, as JSON (for an Airflow branch operator). */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Reads table metadata (no data scan) and says which maintenance each table "
        + "needs: result.actions lists compact, rewrite-deletes, rewrite-manifests, "
        + "expire-snapshots, tier, retention. --all: every table of the curated and the ops namespace (the ops "
        + "tables grow by a small file per run until compacted).")
public class HealthCommand extends JobCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOrAllOptions which;

  @Override
  protected JobOutcome execute(JobContext context) {
    LakehouseSettings settings = context.settings();
    HealthSettings health = HealthSettings.from(settings.config());
    List<TableRef> tables = which.all
        ? NamespaceTables.list(context.spark(), settings.catalog().name(),
            List.of(settings.namespaces().curated(), settings.namespaces().ops()))
        : List.of(which.resolve(settings));
    List<TierRule> tieringRules = TierSettings.rules(settings.config(), null,
        which.dataset != null ? settings.dataset(which.dataset).tieringRules() : null);
    List<TableRef> existing = ExistingTables.require(context.spark(), tables);
    Map<TableRef, RetentionJob> retention = new LinkedHashMap<>();
    for (TableRef table : existing) {
      DatasetTables.find(settings, table).filter(RetentionPolicy::configured).ifPresent(d -> retention.put(table,
          new RetentionJob(context.spark(), d, RetentionPolicy.resolve(d,
              new RetentionPolicy.Overrides(null, null, false, true)))));
    }
    return new HealthJob(context.spark(), health, existing,
        new TieringLog(context.spark(), settings.opsTable(TieringLog.NAME)), tieringRules, retention).execute();
  }

}
