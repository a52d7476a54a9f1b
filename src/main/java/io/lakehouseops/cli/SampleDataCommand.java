package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.sample.CdcSettings;
import io.lakehouseops.sample.CdcTableWriter;
import io.lakehouseops.sample.SampleDataSettings;
import io.lakehouseops.sample.SampleDataWriter;
import io.lakehouseops.schema.ContractLoader;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.spark.Spark3Util;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Writes realistic raw Avro partitions of a dataset, optionally with injected faults; or, with
 * --cdc, an Iceberg table as a streaming upsert writer fills it.
 */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
    description = "Writes realistic raw Avro partitions <raw>/<dataset>/dt=YYYY-MM-DD/ for demos "
        + "and tests (duplicates and late events included; faults on request); with --cdc, an "
        + "Iceberg table of many small upsert commits with equality deletes.")
public class SampleDataCommand extends JobCommand {
  @Option(names = "--dataset", paramLabel = "NAME", description = "Configured dataset (raw data).")
  String dataset;

  @Option(names = "--start", paramLabel = "YYYY-MM-DD", description = "First day (raw data).")
  LocalDate start;

  @Option(names = "--cdc", description = "Write a CDC table (--table) instead of raw data: data files and "
      + "equality deletes on the key, one row delta per commit, as Flink's upsert sink writes.")
  boolean cdc;

  @Option(names = "--table", paramLabel = "NS.TABLE", description = "The CDC table to create (--cdc).")
  String table;

  @Option(names = "--rows", defaultValue = "100000", paramLabel = "N",
      description = "--cdc: keys inserted over all commits (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--commits", defaultValue = "100", paramLabel = "N",
      description = "--cdc: upsert commits (default ${DEFAULT-VALUE}).")
  int commits;

  @Option(names = "--update-fraction", defaultValue = "0.2", paramLabel = "FRACTION",
      description = "--cdc: updates in all, as a share of --rows (default ${DEFAULT-VALUE}).")
  double updateFraction;

  @Option(names = "--delete-fraction", defaultValue = "0.02", paramLabel = "FRACTION",
      description = "--cdc: deletes in all, as a share of --rows (default ${DEFAULT-VALUE}).")
  double deleteFraction;

  @Option(names = "--format-version", defaultValue = "2", paramLabel = "2|3",
      description = "--cdc: the table's Iceberg format version (default ${DEFAULT-VALUE}).")
  int formatVersion;

  @Option(names = "--days", defaultValue = "7", paramLabel = "N", description = "Days (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--rows-per-day", defaultValue = "1000", paramLabel = "N",
      description = "Rows per day before duplicates (default ${DEFAULT-VALUE}).")
  int rowsPerDay;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--fault-date", paramLabel = "YYYY-MM-DD",
      description = "Day that gets the faults below (default: the last day).")
  LocalDate faultDate;

  @Option(names = "--null-keys", defaultValue = "0", paramLabel = "N", description = "Rows with a null event_id.")
  int nullKeys;

  @Option(names = "--out-of-range", defaultValue = "0", paramLabel = "N", description = "Rows with a negative user_id.")
  int outOfRange;

  @Option(names = "--volume-drop", defaultValue = "0", paramLabel = "FRACTION",
      description = "Share of the fault day's rows left out, e.g. 0.9.")
  double volumeDrop;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) throws Exception {
    if (cdc) {
      return cdcTable(context);
    }
    if (dataset == null || start == null || table != null) {
      throw new ParameterException(spec.commandLine(), "sample-data writes raw data (--dataset NAME --start "
          + "YYYY-MM-DD) or a CDC table (--cdc --table NS.TABLE), not " + (table != null
          ? "--table without --cdc" : "without --dataset and --start"));
    }
    SampleDataSettings settings = new SampleDataSettings(start, days, rowsPerDay, seed, faultDate,
        nullKeys, outOfRange, volumeDrop);
    DatasetSettings target = context.settings().dataset(dataset);
    Configuration hadoop = context.spark().sparkContext().hadoopConfiguration();
    SampleDataWriter writer = new SampleDataWriter(target, ContractLoader.load(target, hadoop), hadoop);
    return JobOutcome.succeeded(writer.write(settings, dryRun.dryRun));
  }

  private JobOutcome cdcTable(JobContext context) {
    if (table == null || dataset != null) {
      throw new ParameterException(spec.commandLine(), "--cdc writes the table --table NS.TABLE names"
          + (dataset != null ? "; --dataset is for raw data" : ""));
    }
    if (rows < 1 || commits < 1 || commits > rows || updateFraction < 0 || deleteFraction < 0
        || updateFraction + deleteFraction > 1 || (formatVersion != 2 && formatVersion != 3)) {
      throw new ParameterException(spec.commandLine(), "--cdc needs 1 <= --commits <= --rows, fractions of "
          + "at most 1 together and --format-version 2 or 3");
    }
    if (dryRun.dryRun) {
      throw new ParameterException(spec.commandLine(), "--cdc has no dry run: it only creates a new table");
    }
    TableRef ref = TableRef.parse(table, context.settings().catalog().name(), "--table");
    Catalog catalog = Spark3Util.loadIcebergCatalog(context.spark(), ref.catalog());
    return JobOutcome.succeeded(new CdcTableWriter(catalog, ref).write(new CdcSettings(rows, commits,
        updateFraction, deleteFraction, 30, formatVersion, seed)));
  }
}
