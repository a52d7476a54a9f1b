package io.lakehouseops.cli;

import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.ConfigFile;
import io.lakehouseops.config.ConfigLoader;
import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.Messages;
import io.lakehouseops.config.Redactor;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.quality.QualitySettings;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.ReportWriter;
import io.lakehouseops.run.RunReport;
import io.lakehouseops.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Template of every subcommand: load and validate the configuration, run the job, map what
 * happened to a status and exit code, and print the JSON report as the last stdout line.
 * Subclasses only hold options and call their job.
 */
public abstract class JobCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(JobCommand.class);
  private static final String NO_SPACE = "No space left on device";
  /** A full disk surfaces as a long Spark task failure; what the user needs is where to look. */
  private static final String DISK_FULL = "Out of disk space (" + NO_SPACE + ") while writing; nothing "
      + "was committed: free space where the table writes (its location or write.data.path) or in "
      + "Spark's scratch space (spark.local.dir), then re-run";

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  /** Runs the job; throw ConfigException (or ParameterException) for a user mistake. */
  protected abstract JobOutcome execute(JobContext context) throws Exception;

  @Override
  public Integer call() {
    Instant started = Instant.now();
    String command = spec.name();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("options", matchedOptions());
    JobOutcome outcome = null;
    RunReport.ErrorInfo error = null;
    JobContext context = null;
    RunLineageEvents lineage = null;
    RunStatus status;
    try {
      LakehouseSettings lakehouse = LakehouseSettings.from(ConfigLoader.load(common.config, common.sets));
      // Every dataset's rules, parsed now: a wrong one stops any command at start (exit 2).
      lakehouse.datasets().values().forEach(QualitySettings::of);
      Map<String, Object> redacted = Redactor.redactedTree(lakehouse.config(), "lakehouse");
      settings.put("lakehouse", redacted);
      // The report carries it too; at INFO this one long line drowned every run's log.
      LOG.debug("Effective configuration (secrets redacted): {}", ReportWriter.toJson(redacted));
      context = new JobContext(lakehouse, command, common.runId(), common.dagRunId(),
          spec.commandLine().getOut());
      JobContext job = context;
      lineage = RunLineageEvents.start(lakehouse, command, common.runId(), common.dagRunId(),
          optionValue("--dataset"), optionValue("--table"), VersionProvider.version());
      outcome = RunLineage.around(command, common.runId(), common.dagRunId(), () -> execute(job));
      status = outcome.status();
      LOG.info("{} {}: {}", command, status, outcome.message() == null ? "done" : outcome.message());
    } catch (ConfigException | BadInputException | ParameterException e) {
      status = RunStatus.USAGE_ERROR;
      error = new RunReport.ErrorInfo(errorType(e), Redactor.redactText(oneLine(e.getMessage())));
      spec.commandLine().getErr().println("lakehouse-ops " + command + ": " + error.message());
      if (e instanceof ParameterException) {
        spec.commandLine().usage(spec.commandLine().getErr());
      }
    } catch (Exception | LinkageError e) {
      status = RunStatus.FAILED;
      error = new RunReport.ErrorInfo(e.getClass().getSimpleName(), describe(e));
      LOG.error("{} failed", command, e);
      spec.commandLine().getErr().println("lakehouse-ops " + command + ": " + error.message());
      if (context != null) {
        alertFailure(context, command, error.message());
      }
    }
    if (lineage != null) {
      lineage.finished(status, outcome, error == null ? null : error.message());
      lineage.close();
    }
    Instant finished = Instant.now();
    RunReport report = new RunReport(RunReport.VERSION, command, status.reportName(), common.runId(),
        common.dagRunId(), started.toString(), finished.toString(), Duration.between(started, finished).toMillis(),
        outcome == null ? null : outcome.message(), settings,
        outcome == null ? null : outcome.result(), error,
        context == null ? List.of() : context.alerter().deliveries(),
        lineage == null ? null : lineage.delivery().orElse(null));
    try {
      ReportWriter.write(report, spec.commandLine().getOut(), common.report, JobCommand::hadoopConfiguration);
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("lakehouse-ops " + command
          + ": cannot write report file " + common.report + ": " + e.getMessage());
      return Math.max(status.exitCode(), RunStatus.FAILED.exitCode());
    }
    return status.exitCode();
  }

  /**
   * Hadoop settings for a --report URI: the running session's (the config's spark.hadoop.*
   * included) or, when Spark never started (a usage error), those spark-submit handed the JVM.
   */
  private static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    return session.isDefined() ? session.get().sparkContext().hadoopConfiguration() : ConfigFile.hadoopConfiguration();
  }

  /** A failed run's alert; never in the way of its report. */
  private void alertFailure(JobContext context, String command, String message) {
    try {
      context.alerts().afterFailure(datasetOption(context), command, message);
    } catch (RuntimeException e) {
      LOG.warn("Could not send the alert of the failed {} run: {}", command, e.getMessage());
    }
  }

  /** The run's --dataset, when it names a configured one (its alert routes and severity). */
  private DatasetSettings datasetOption(JobContext context) {
    String name = optionValue("--dataset");
    return name == null ? null : context.settings().datasets().get(name);
  }

  /** The value of an option given on the command line, or null. */
  private String optionValue(String option) {
    return spec.commandLine().getParseResult() == null ? null
        : spec.commandLine().getParseResult().matchedOptionValue(option, null);
  }

  private static String errorType(RuntimeException e) {
    if (e instanceof ConfigException) {
      return "config";
    }
    return e instanceof BadInputException ? "input" : "usage";
  }

  /** The options given on the command line, secrets redacted. */
  private Map<String, Object> matchedOptions() {
    Map<String, Object> options = new LinkedHashMap<>();
    if (spec.commandLine().getParseResult() == null) {
      return options;
    }
    for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
      Object value = option.getValue();
      String name = option.longestName().replaceFirst("^-+", "");
      if (name.equals("set") && value instanceof List<?> sets) {
        options.put(name, String.valueOf(sets.stream().map(set -> Redactor.redactSetting(String.valueOf(set)))
            .toList()));
      } else {
        options.put(name, value == null ? null : Redactor.redactText(String.valueOf(value)));
      }
    }
    return options;
  }

  /** One line for the user: the message of the exception and of its root cause, redacted. */
  static String describe(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(NO_SPACE)) {
        return DISK_FULL;
      }
      root = t;
    }
    String message = oneLine(e.getMessage());
    if (root != e && root.getMessage() != null && !message.contains(oneLine(root.getMessage()))) {
      message = message + " (caused by " + root.getClass().getSimpleName() + ": "
          + oneLine(root.getMessage()) + ")";
    }
    return Redactor.redactText(message);
  }

  static String oneLine(String message) {
    return Messages.oneLine(message);
  }
}
