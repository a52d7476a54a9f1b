package io.lakehouseops.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.JsonSchemas;
import org.junit.jupiter.api.Test;

/**
 * docs/report.schema.json describes the reports the tool prints (CliRun holds every report
 * of every in-process test to it) and refuses what a reader could not rely on.
 */
class ReportSchemaTest {
  @Test
  void aUsageErrorsReportIsValidAndCarriesItsVersion() {
    CliRun run = CliRun.of("health", "--dataset");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.report().get("report_version").asInt()).isEqualTo(RunReport.VERSION);
    assertThat(JsonSchemas.reportViolations(run.report())).isEmpty();
  }

  @Test
  void theSchemaRefusesAnUnknownStatusAMissingFieldAndABadPromoteResult() {
    JsonNode valid = CliRun.of("health", "--dataset").report();
    ObjectNode unknownStatus = valid.deepCopy();
    unknownStatus.put("status", "MOSTLY_FINE");
    assertThat(JsonSchemas.reportViolations(unknownStatus)).isNotEmpty();
    ObjectNode noVersion = valid.deepCopy();
    noVersion.remove("report_version");
    assertThat(JsonSchemas.reportViolations(noVersion)).anyMatch(m -> m.contains("report_version"));
    ObjectNode badTime = valid.deepCopy();
    badTime.put("started_at", "yesterday");
    assertThat(JsonSchemas.reportViolations(badTime)).anyMatch(m -> m.contains("started_at"));
    ObjectNode promote = valid.deepCopy();
    promote.put("command", "promote");
    promote.putObject("result").put("dataset", "d").put("partition", "2024-01-01");
    assertThat(JsonSchemas.reportViolations(promote)).anyMatch(m -> m.contains("partition"))
        .anyMatch(m -> m.contains("rows_read"));
  }
}
