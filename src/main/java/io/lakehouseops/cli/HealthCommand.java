package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.health.HealthJob;
import io.lakehouseops.health.HealthRequest;
import io.lakehouseops.health.HealthSettings;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.tier.TierSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reports which maintenance a table needs and each dataset's freshness, as JSON. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Reads table metadata (no data scan) and says which maintenance each table "
        + "needs and whether each dataset's table is within its SLA (sla-hours): result.actions lists "
        + "retention, compact, rewrite-deletes, rewrite-manifests, expire-snapshots, tier, sla-breach. "
        + "--fail-on ACTION exits 4 when it is recommended (a sensor or a cron check). --all: every table "
        + "of the curated and the ops namespace.")
public class HealthCommand extends JobCommand {
  private static final Set<String> ACTIONS = Set.of("retention", "compact", "rewrite-deletes", "rewrite-manifests",
      "expire-snapshots", "tier", "sla-breach");

  @ArgGroup(exclusive = true, multiplicity = "1")
  TableOrAllOptions which;

  @Option(names = "--as-of", paramLabel = "INSTANT|DATE",
      description = "When freshness and ages are measured (ISO instant, e.g. 2024-01-02T07:00:00Z, or a date at "
          + "00:00 UTC; default: now).")
  String asOf;

  @Option(names = "--fail-on", paramLabel = "ACTION", split = ",",
      description = "Exit 4 (NEEDS_ACTION) when any of these actions is recommended, e.g. sla-breach.")
  List<String> failOn = List.of();

  @Override
  protected JobOutcome execute(JobContext context) {
    LakehouseSettings settings = context.settings();
    for (String action : failOn) {
      if (!ACTIONS.contains(action)) {
        throw new BadInputException("Unknown --fail-on action '" + action + "': use one of " + ACTIONS);
      }
    }
    Instant moment = moment(asOf);
    List<TableRef> tables = which.all
        ? NamespaceTables.list(context.spark(), settings.catalog().name(),
            List.of(settings.namespaces().curated(), settings.namespaces().ops()))
        : List.of(which.resolve(settings));
    List<TableRef> existing = ExistingTables.require(context.spark(), tables);
    Map<TableRef, DatasetSettings> datasets = new LinkedHashMap<>();
    existing.forEach(table -> DatasetTables.find(settings, table).ifPresent(d -> datasets.put(table, d)));
    HealthRequest request = new HealthRequest(existing, datasets, TierSettings.rules(settings.config(), null,
        which.dataset != null ? settings.dataset(which.dataset).tieringRules() : null), moment, Set.copyOf(failOn));
    JobOutcome outcome = new HealthJob(context.spark(), HealthSettings.from(settings.config()), request,
        new TieringLog(context.spark(), settings.opsTable(TieringLog.NAME))).execute();
    context.alerts().afterHealth(outcome, settings::dataset);
    return outcome;
  }

  private static Instant moment(String text) {
    if (text == null) {
      return Instant.now();
    }
    try {
      return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadInputException("Invalid --as-of '" + text + "': use an ISO instant such as 2024-01-02T07:00:00Z "
          + "or a date such as 2024-01-02");
    }
  }
}
