package io.lakehouseops.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.JsonSchemas;
import io.lakehouseops.testing.SampleDataset;
import io.lakehouseops.testing.TestLakehouse;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenLineage run events as a lineage server on loopback receives them: START then COMPLETE
 * (or FAIL) of the same run, the raw partition in with the gate's assertions, the curated
 * table out with its schema, the Airflow parent; each event valid against the OpenLineage
 * run event schema and read back by the official client. An endpoint that fails never fails
 * the run; the file transport appends one event a line.
 */
class LineageEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API_KEY = "ol-key-secret-42";
  private HttpServer server;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(201);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/lineage", exchange -> {
      events.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String lineageOverHttp() {
    return "lakehouse.lineage { enabled = true, transport = http, url = \"http://127.0.0.1:"
        + server.getAddress().getPort() + "\", api-key = \"" + API_KEY + "\" }";
  }

  private Path configWith(String lineage) throws IOException {
    Path config = Files.createTempFile(TestLakehouse.root(), "lineage", ".conf");
    Files.writeString(config, "include file(\"" + TestLakehouse.configWithDataset("ol_events", "") + "\")\n"
        + lineage + "\n");
    return config;
  }

  @Test
  void aPromoteEmitsStartAndCompleteWithItsDatasetsSchemaAndAssertions() throws IOException {
    SampleDataset.promoted("ol_events", "", "2024-02-01", 1, 150);
    SampleDataset traced = new SampleDataset("ol_events", configWith(lineageOverHttp()));
    traced.ok("sample-data", "--dataset", "ol_events", "--start", "2024-02-02", "--days", "1",
        "--rows-per-day", "150");
    events.clear(); // sample-data's own run emitted too

    CliRun run = traced.ok("promote", "--dataset", "ol_events", "--date", "2024-02-02",
        "--dag-run-id", "scheduled__2024-02-02T00:00:00+00:00");

    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
    events.forEach(JsonSchemas::assertValidRunEvent);
    events.forEach(e -> OpenLineageClientUtils.runEventFromJson(e.toString())); // the official client reads it
    String runId = run.report().get("run_id").asText();
    assertThat(events).allSatisfy(e -> {
      assertThat(e.at("/run/runId").asText()).isEqualTo(runId);
      assertThat(e.at("/job/namespace").asText()).isEqualTo("lakehouse-ops");
      assertThat(e.at("/job/name").asText()).isEqualTo("promote.ol_events");
      assertThat(e.at("/run/facets/parent/job/namespace").asText()).isEqualTo("default");
      assertThat(e.at("/run/facets/parent/run/runId").asText()).isEqualTo(UUID.nameUUIDFromBytes(
          "airflow-dag-run:scheduled__2024-02-02T00:00:00+00:00".getBytes(StandardCharsets.UTF_8)).toString());
    });
    assertThat(authorizations).containsOnly("Bearer " + API_KEY);

    JsonNode complete = events.get(1);
    JsonNode input = complete.at("/inputs/0");
    assertThat(input.get("namespace").asText()).isEqualTo("file");
    assertThat(input.get("name").asText()).endsWith("/raw/ol_events/dt=2024-02-02");
    JsonNode assertions = input.at("/inputFacets/dataQualityAssertions/assertions");
    assertThat(assertions).isNotEmpty();
    assertThat(assertions).anySatisfy(a -> {
      assertThat(a.get("assertion").asText()).isEqualTo("complete(event_id)");
      assertThat(a.get("success").asBoolean()).isTrue();
      assertThat(a.get("column").asText()).isEqualTo("event_id");
    });
    JsonNode output = complete.at("/outputs/0");
    assertThat(output.get("namespace").asText()).isEqualTo("file");
    assertThat(output.get("name").asText()).endsWith("/warehouse/curated/ol_events");
    assertThat(output.at("/facets/symlinks/identifiers/0/name").asText()).isEqualTo("lake.curated.ol_events");
    assertThat(output.at("/facets/schema/fields")).extracting(f -> f.get("name").asText())
        .contains("event_id", "user_id", "event_ts");
    JsonNode delivery = run.report().get("lineage");
    assertThat(delivery.get("transport").asText()).isEqualTo("http");
    assertThat(delivery.get("emitted").asInt()).isEqualTo(2);
    assertThat(delivery.get("failed").asInt()).isZero();
    assertThat(run.stdout() + run.stderr()).doesNotContain(API_KEY);
  }

  @Test
  void aFailedGateEmitsFailWithTheFailedAssertionAndADeadEndpointFailsNothing() throws IOException {
    SampleDataset.promoted("ol_events", "", "2024-03-01", 1, 150);
    SampleDataset traced = new SampleDataset("ol_events", configWith(lineageOverHttp()));
    traced.ok("sample-data", "--dataset", "ol_events", "--start", "2024-03-02", "--days", "1",
        "--rows-per-day", "150", "--null-keys", "10");
    events.clear();

    CliRun failed = traced.run("promote", "--dataset", "ol_events", "--date", "2024-03-02");

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "FAIL");
    events.forEach(JsonSchemas::assertValidRunEvent);
    JsonNode fail = events.get(1);
    assertThat(fail.at("/run/facets/errorMessage/message").asText()).contains("quality gate failed on");
    assertThat(fail.at("/inputs/0/inputFacets/dataQualityAssertions/assertions")).anySatisfy(a -> {
      assertThat(a.get("assertion").asText()).isEqualTo("complete(event_id)");
      assertThat(a.get("success").asBoolean()).isFalse();
    });
    assertThat(fail.get("outputs")).extracting(o -> o.at("/facets/symlinks/identifiers/0/name").asText())
        .contains("lake.quarantine.ol_events");

    // The lineage server answers 500: the promote of a good day still succeeds; the report counts the failures.
    traced.ok("sample-data", "--dataset", "ol_events", "--start", "2024-03-03", "--days", "1",
        "--rows-per-day", "150");
    events.clear();
    status.set(500);
    CliRun passed = traced.ok("promote", "--dataset", "ol_events", "--date", "2024-03-03");
    assertThat(events).hasSize(2);
    assertThat(passed.report().at("/lineage/failed").asInt()).isEqualTo(2);
    assertThat(passed.report().at("/lineage/last_error").asText()).isNotBlank().doesNotContain(API_KEY);
  }

  @Test
  void theFileTransportAppendsOneEventALineAndAMaintenanceRunNamesItsTable() throws IOException {
    SampleDataset.promoted("ol_events", "", "2024-04-01", 1, 100);
    Path file = TestLakehouse.root().resolve("lineage-" + UUID.randomUUID() + ".jsonl");
    SampleDataset traced = new SampleDataset("ol_events", configWith(
        "lakehouse.lineage { enabled = true, transport = file, file = \"" + file + "\" }"));

    traced.ok("compact", "--dataset", "ol_events", "--dry-run");

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    List<OpenLineage.RunEvent> parsed = lines.stream().map(OpenLineageClientUtils::runEventFromJson).toList();
    assertThat(parsed).extracting(e -> e.getEventType().name()).containsExactly("START", "COMPLETE");
    assertThat(parsed.get(1).getJob().getName()).isEqualTo("compact.ol_events");
    assertThat(parsed.get(1).getInputs()).isEmpty();
    assertThat(parsed.get(1).getOutputs()).extracting(o -> o.getName()).singleElement().asString()
        .endsWith("/warehouse/curated/ol_events");
    lines.forEach(line -> {
      try {
        JsonSchemas.assertValidRunEvent(JSON.readTree(line));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void aBadLineageSettingIsRefusedAtStart() throws IOException {
    SampleDataset traced = new SampleDataset("ol_events", configWith(
        "lakehouse.lineage { enabled = true, transport = http, url = \"not a url\" }"));
    CliRun refused = traced.run("health", "--dataset", "ol_events");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("lakehouse.lineage.url: transport = http needs the OpenLineage "
        + "endpoint's http(s) base URL");
  }
}
