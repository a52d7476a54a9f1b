package io.lakehouseops.cli;

import io.lakehouseops.run.ReportWriter;
import io.lakehouseops.run.RunReport;
import io.lakehouseops.run.RunStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The root command: subcommands, --help, --version, and how usage errors are reported. */
@Command(
    name = "lakehouse-ops",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Spark batch jobs that keep an Apache Iceberg lakehouse trustworthy and cheap.",
    footer = {"", "Exit codes: 0 success or nothing to do, 1 runtime failure, "
        + "2 usage or configuration error, 3 quality gate failed (data quarantined), "
        + "4 health --fail-on: a listed action is recommended."},
    subcommands = {
      PromoteCommand.class,
      CompactCommand.class,
      ExpireSnapshotsCommand.class,
      TierCommand.class,
      BackfillCommand.class,
      HealthCommand.class,
      EraseCommand.class,
      RetentionCommand.class,
      SqlCommand.class,
      SampleDataCommand.class
    })
public class LakehouseOpsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: choose one of "
        + spec.subcommands().keySet());
  }

  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new LakehouseOpsCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(LakehouseOpsCommand::onUsageError);
    return commandLine;
  }

  /**
   * A mistake on the command line: one line naming the problem, the usage of the command,
   * and (so that callers parsing stdout always get one) a FAILED report. Exit code 2.
   */
  private static int onUsageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    String message = JobCommand.oneLine(e.getMessage());
    err.println("lakehouse-ops: " + message);
    commandLine.usage(err);
    String now = Instant.now().toString();
    RunReport report = new RunReport(RunReport.VERSION, commandLine.getCommandName(),
        RunStatus.USAGE_ERROR.reportName(), UUID.randomUUID().toString(), null, now, now, 0, null, Map.of(), null,
        new RunReport.ErrorInfo("usage", message), List.of(), null);
    commandLine.getOut().println(ReportWriter.toJson(report));
    commandLine.getOut().flush();
    return RunStatus.USAGE_ERROR.exitCode();
  }
}
