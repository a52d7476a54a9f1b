package io.lakehouseops.cli;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.sample.SampleDataSettings;
import io.lakehouseops.sample.SampleDataWriter;
import io.lakehouseops.schema.ContractLoader;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes realistic raw Avro partitions of a dataset, optionally with injected faults. */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
    description = "Writes realistic raw Avro partitions <raw>/<dataset>/dt=YYYY-MM-DD/ for demos "
        + "and tests (duplicates and late events included; faults on request).")
public class SampleDataCommand extends JobCommand {
  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Configured dataset.")
  String dataset;

  @Option(names = "--start", required = true, paramLabel = "YYYY-MM-DD", description = "First day.")
  LocalDate start;

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
    SampleDataSettings settings = new SampleDataSettings(start, days, rowsPerDay, seed, faultDate,
        nullKeys, outOfRange, volumeDrop);
    DatasetSettings target = context.settings().dataset(dataset);
    Configuration hadoop = context.spark().sparkContext().hadoopConfiguration();
    SampleDataWriter writer = new SampleDataWriter(target, ContractLoader.load(target, hadoop), hadoop);
    return JobOutcome.succeeded(writer.write(settings, dryRun.dryRun));
  }
}
