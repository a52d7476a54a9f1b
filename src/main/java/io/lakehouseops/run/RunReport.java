package io.lakehouseops.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of one run: printed as the last stdout line and written to --report.
 * Field names are snake_case in JSON (see {@link ReportWriter}); docs/report.schema.json is
 * its JSON Schema, and report_version its version: raised when a field is removed, renamed
 * or changes meaning (added fields keep it). alerts: what became of the run's alerts (route
 * type, sent, HTTP status, attempts), never a URL or key; lineage: of its OpenLineage events
 * (null when lineage is off).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunReport(
    int reportVersion,
    String command,
    String status,
    String runId,
    String dagRunId,
    String startedAt,
    String finishedAt,
    long durationMs,
    String message,
    Map<String, Object> settings,
    Object result,
    ErrorInfo error,
    List<?> alerts,
    Object lineage) {

  /** The version of the report's shape (report_version). */
  public static final int VERSION = 1;

  /** Why a run failed: the exception type (or "usage", "config") and a one-line message. */
  public record ErrorInfo(String type, String message) {}
}
