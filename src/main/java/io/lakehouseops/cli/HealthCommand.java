package io.lakehouseops.cli;

import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.health.HealthJob;
import io.lakehouseops.health.HealthSettings;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.tier.TierRule;
import io.lakehouseops.tier.TierSettings;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** Reports which maintenance a table needs, as JSON (for an Airflow branch operator). */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Reads table metadata (no data scan) and says which maintenance each table "
        + "needs: result.actions lists compact, rewrite-deletes, rewrite-manifests, "
        + "expire-snapshots, tier. --all: every table of the curated and the ops namespace (the ops "
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
    return new HealthJob(context.spark(), health, ExistingTables.require(context.spark(), tables),
        new TieringLog(context.spark(), settings.opsTable(TieringLog.NAME)), tieringRules).execute();
  }

}
