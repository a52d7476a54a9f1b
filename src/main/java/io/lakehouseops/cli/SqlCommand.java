package io.lakehouseops.cli;

import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.sql.SqlJob;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs Spark SQL statements against the configured catalog, rows as JSON lines. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Runs Spark SQL statements against the configured catalog, one argument each, in "
        + "order, and prints their rows as JSON lines, then the report. A syntax error in any runs "
        + "none; a statement that fails stops the run there.")
public class SqlCommand extends JobCommand {
  @Parameters(arity = "1..*", paramLabel = "STATEMENT", description = "A Spark SQL statement.")
  List<String> statements;

  @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
      description = "Print at most N rows of each statement (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  protected JobOutcome execute(JobContext context) {
    SqlJob job = new SqlJob(statements, limit);
    return JobOutcome.succeeded(job.execute(context.spark(), context.out()));
  }
}
