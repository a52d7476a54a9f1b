package io.lakehouseops.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.SampleDataset;
import io.lakehouseops.testing.TestLakehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts delivered to a real HTTP server on loopback: the exact requests a generic webhook,
 * a Slack incoming webhook and PagerDuty's Events API v2 receive for a failed gate, its
 * resolve when the partition passes, an SLA breach and a failed run; retries and a dead
 * endpoint never change the job's outcome; no URL or routing key reaches any output.
 */
class AlertsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOOK_SECRET = "T0HOOKSECRET";
  private static final String SLACK_SECRET = "B0SLACKSECRET";
  private static final String ROUTING_KEY = "rk-secret-123";

  private HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  /** Per path: statuses to answer with before 202 (e.g. 503, 503). */
  private final Map<String, List<Integer>> failures = new ConcurrentHashMap<>();

  record Request(String path, String contentType, JsonNode body) {}

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Content-Type"),
          JSON.readTree(new String(bytes, StandardCharsets.UTF_8))));
      List<Integer> pending = failures.getOrDefault(path, List.of());
      int status = pending.isEmpty() ? 202 : pending.remove(0);
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private List<Request> to(String prefix) {
    return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  private static void deleteRecursively(java.nio.file.Path root) {
    try (var paths = Files.walk(root)) {
      for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void noSecretIn(CliRun run) {
    for (String secret : List.of(HOOK_SECRET, SLACK_SECRET, ROUTING_KEY)) {
      assertThat(run.stdout() + run.stderr()).as("secret " + secret).doesNotContain(secret);
    }
  }

  @Test
  void aFailedGatePagesAndItsPassingReRunResolves() throws IOException {
    String routes = "alerts { severity = page, routes = ["
        + "{ type = webhook, url = \"" + url("/hook/" + HOOK_SECRET) + "\" }, "
        + "{ type = slack, url = \"" + url("/slack/" + SLACK_SECRET) + "\" }, "
        + "{ type = pagerduty, url = \"" + url("/pd") + "\", routing-key = \"" + ROUTING_KEY + "\" } ] }";
    SampleDataset dataset = SampleDataset.promoted("alert_events", routes, "2024-01-01", 1, 200);
    assertThat(requests).as("a clean day with no open incident sends nothing").isEmpty();
    dataset.ok("sample-data", "--dataset", dataset.name(), "--start", "2024-01-02", "--days", "1", "--rows-per-day",
        "200", "--null-keys", "10");

    CliRun failed = dataset.run("promote", "--dataset", dataset.name(), "--date", "2024-01-02");

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
    String runId = failed.report().get("run_id").asText();
    assertThat(requests).hasSize(3);
    assertThat(requests).allMatch(r -> "application/json".equals(r.contentType()));
    JsonNode hook = to("/hook/").get(0).body();
    assertThat(hook.get("source").asText()).isEqualTo("lakehouse-ops");
    assertThat(hook.get("action").asText()).isEqualTo("trigger");
    assertThat(hook.get("event").asText()).isEqualTo("quality_failed");
    assertThat(hook.get("dataset").asText()).isEqualTo("alert_events");
    assertThat(hook.get("partition").asText()).isEqualTo("dt=2024-01-02");
    assertThat(hook.get("run_id").asText()).isEqualTo(runId);
    assertThat(hook.get("rules").toString()).contains("complete(event_id)");
    assertThat(hook.get("metrics").get("rows_quarantined").asDouble()).isPositive();
    assertThat(hook.get("inspect").asText()).isEqualTo("lakehouse-ops sql \"SELECT * FROM "
        + "lake.quarantine.alert_events WHERE _quarantine_run_id = '" + runId + "'\"");
    assertThat(hook.get("dedup_key").asText()).isEqualTo("lakehouse-ops/alert_events/dt=2024-01-02");
    String slack = to("/slack/").get(0).body().get("text").asText();
    assertThat(slack).startsWith("lakehouse-ops quality_failed: quality gate failed on alert_events dt=2024-01-02")
        .contains("Rules: complete(event_id)").contains("Run: " + runId).contains("Inspect: `lakehouse-ops sql");
    JsonNode trigger = to("/pd").get(0).body();
    assertThat(trigger.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.get("dedup_key").asText()).isEqualTo("lakehouse-ops/alert_events/dt=2024-01-02");
    assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("error");
    assertThat(trigger.get("payload").get("source").asText()).isEqualTo("lakehouse-ops");
    assertThat(trigger.get("payload").get("component").asText()).isEqualTo("alert_events");
    assertThat(trigger.get("payload").get("custom_details").get("run_id").asText()).isEqualTo(runId);
    JsonNode delivered = failed.report().get("alerts");
    assertThat(delivered).hasSize(3);
    delivered.forEach(d -> {
      assertThat(d.get("sent").asBoolean()).isTrue();
      assertThat(d.get("http_status").asInt()).isEqualTo(202);
    });
    noSecretIn(failed);

    // Upstream delivers the day again without the bad rows: it passes; PagerDuty's incident is resolved.
    requests.clear();
    deleteRecursively(RawFiles.partition(dataset.name(), "2024-01-02"));
    dataset.ok("sample-data", "--dataset", dataset.name(), "--start", "2024-01-02", "--days", "1", "--rows-per-day",
        "200");
    CliRun passed = dataset.ok("promote", "--dataset", dataset.name(), "--date", "2024-01-02");
    assertThat(requests).hasSize(1);
    JsonNode resolve = to("/pd").get(0).body();
    assertThat(JSON.writeValueAsString(resolve)).isEqualTo("{\"routing_key\":\"" + ROUTING_KEY
        + "\",\"event_action\":\"resolve\",\"dedup_key\":\"lakehouse-ops/alert_events/dt=2024-01-02\"}");
    noSecretIn(passed);
    assertThat(TestLakehouse.spark().sql("SELECT route, action, sent, http_status FROM lake.ops.alerts WHERE "
        + "dataset = 'alert_events'").collectAsList().stream().map(Object::toString).toList())
        .containsExactlyInAnyOrder("[webhook,trigger,true,202]", "[slack,trigger,true,202]",
            "[pagerduty,trigger,true,202]", "[pagerduty,resolve,true,202]");
  }

  @Test
  void deliveryRetriesThenGivesUpWithoutFailingTheJob() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    failures.put("/flaky", new ArrayList<>(List.of(503, 503)));
    String routes = "alerts { routes = ["
        + "{ type = webhook, url = \"" + url("/flaky") + "\" }, "
        + "{ type = webhook, url = \"http://127.0.0.1:" + closedPort + "/dead\" }, "
        + "{ type = pagerduty, url = \"" + url("/pd") + "\", routing-key = \"" + ROUTING_KEY + "\" } ] }";
    SampleDataset dataset = SampleDataset.promoted("alert_retry", routes + ", sla-hours = 6", "2024-01-01", 1, 200);

    CliRun late = dataset.run("health", "--dataset", dataset.name(), "--as-of", "2024-01-04T00:00:00Z",
        "--set", "lakehouse.alerts.max-attempts=3", "--set", "lakehouse.alerts.backoff=10ms");

    assertThat(late.exitCode()).as("a failed delivery never fails the job: " + late).isZero();
    assertThat(to("/flaky")).as("503, 503, then 202").hasSize(3);
    JsonNode sla = to("/flaky").get(2).body();
    assertThat(sla.get("event").asText()).isEqualTo("sla_breach");
    assertThat(sla.get("metrics").get("sla_hours").asDouble()).isEqualTo(6.0);
    assertThat(to("/pd")).as("severity notify (the default) never pages").isEmpty();
    JsonNode alerts = late.report().get("alerts");
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).get("sent").asBoolean()).isTrue();
    assertThat(alerts.get(0).get("attempts").asInt()).isEqualTo(3);
    assertThat(alerts.get(1).get("sent").asBoolean()).isFalse();
    assertThat(alerts.get(1).get("attempts").asInt()).isEqualTo(3);
    assertThat(alerts.get(1).get("error").asText()).isEqualTo("ConnectException");
    assertThat(alerts.get(1).get("http_status").isNull()).isTrue();
    assertThat(late.stdout() + late.stderr()).doesNotContain(String.valueOf(closedPort)).doesNotContain(ROUTING_KEY);
    assertThat(TestLakehouse.spark().sql("SELECT count(*) FROM lake.ops.alerts WHERE dataset = 'alert_retry' "
        + "AND kind = 'sla_breach' AND NOT sent AND attempts = 3").first().getLong(0)).isEqualTo(1);

    // A run that fails (a raw file that is not Avro: exit 1) alerts too.
    requests.clear();
    try {
      Files.createDirectories(RawFiles.partition(dataset.name(), "2024-01-02"));
      Files.write(RawFiles.partition(dataset.name(), "2024-01-02").resolve("part-00009.avro"),
          "this is not avro at all".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CliRun broken = dataset.run("promote", "--dataset", dataset.name(), "--date", "2024-01-02");
    assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(1);
    JsonNode failedRun = to("/flaky").get(0).body();
    assertThat(failedRun.get("event").asText()).isEqualTo("run_failed");
    assertThat(failedRun.get("summary").asText()).startsWith("lakehouse-ops promote failed for alert_retry: ");
    assertThat(broken.report().get("alerts")).hasSize(2);
  }

  @Test
  void aWrongRouteOrSeverityStopsAnyCommandAtStart() {
    for (String overrides : List.of("alerts.severity = loud", "alerts.routes = [{ type = teams, url = \"http://x\" }]",
        "alerts.routes = [{ type = pagerduty, url = \"http://x\" }]")) {
      SampleDataset dataset = new SampleDataset("alert_bad", TestLakehouse.configWithDataset("alert_bad", overrides));
      CliRun run = dataset.run("sql", "SELECT 1");
      assertThat(run.exitCode()).as(overrides + ": " + run).isEqualTo(2);
      assertThat(run.stderr()).contains("lakehouse.datasets.alert_bad.alerts");
    }
  }
}
