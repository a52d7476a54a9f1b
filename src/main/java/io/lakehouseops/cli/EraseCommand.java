package io.lakehouseops.cli;

import io.lakehouseops.erase.EraseJob;
import io.lakehouseops.erase.EraseRequest;
import io.lakehouseops.erase.EraseSettings;
import io.lakehouseops.run.JobOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Right-to-erasure: removes data subjects' rows from every table of a dataset, provably. */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = "Erases data subjects (--keys-file or --where) from the dataset's curated, quarantine and "
        + "erase.also tables: rewrites the files that hold them, expires the snapshots that still reference "
        + "the old files, verifies, and records the key hashes in ops.erasure_ledger so promote and backfill "
        + "never publish them again. Exit 2 (nothing changed) when a tag or branch pins them (--release-refs).")
public class EraseCommand extends JobCommand {
  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Configured dataset.")
  String dataset;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Subjects subjects;

  /** --keys-file or --where. */
  static class Subjects {
    @Option(names = "--keys-file", paramLabel = "PATH", description = "CSV: a header naming the key columns, "
        + "then one data subject per line (a local path or a Hadoop URI).")
    String keysFile;

    @Option(names = "--where", paramLabel = "PREDICATE", description = "Spark SQL predicate naming the "
        + "subjects, e.g. \"customer_id = 42\".")
    String where;
  }

  @Option(names = "--request-id", required = true, paramLabel = "ID",
      description = "The erasure request's id (e.g. its ticket): in the ledger and the snapshot summaries.")
  String requestId;

  @Option(names = "--purge-raw", description = "Also rewrite the raw Avro files that hold the subjects.")
  boolean purgeRaw;

  @Option(names = "--release-refs", description = "Drop tags and branches that pin the subjects' rows.")
  boolean releaseRefs;

  @Option(names = "--force", description = "Erase more than lakehouse.erase.max-row-fraction of a table.")
  boolean force;

  @Mixin DryRunOption dryRun;

  @Override
  protected JobOutcome execute(JobContext context) {
    EraseRequest request = EraseSettings.resolve(context.spark(), context.settings(), new EraseSettings.Options(
        dataset, subjects.keysFile, subjects.where, requestId,
        new EraseRequest.Reach(purgeRaw, releaseRefs, force, dryRun.dryRun)));
    return new EraseJob(context.spark(), context.settings(), request).execute();
  }
}
