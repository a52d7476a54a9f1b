package io.lakehouseops.cli;

import io.lakehouseops.ops.JobOutcome;
import io.lakehouseops.sql.SqlJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one Spark SQL statement against the configured catalog, rows as JSON lines. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Runs one Spark SQL statement against the configured catalog and prints the "
        + "rows as JSON lines, then the report.")
public class SqlCommand extends JobCommand {
  @Parameters(index = "0", paramLabel = "STATEMENT", description = "One Spark SQL statement.")
  String statement;

  @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
      description = "Print at most N rows (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  protected JobOutcome execute(JobContext context) {
    SqlJob job = new SqlJob(statement, limit);
    return JobOutcome.succeeded(job.execute(context.spark(), context.out()));
  }
}
