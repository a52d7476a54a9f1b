package io.lakehouseops.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON body each route type expects: a generic event, Slack's text, PagerDuty's Events v2. */
final class AlertPayloads {
  static final String TRIGGER = "trigger";
  static final String RESOLVE = "resolve";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertPayloads() {}

  static String body(AlertRoute route, Alert alert, String action) {
    Object body = switch (route.type()) {
      case WEBHOOK -> webhook(alert, action);
      case SLACK -> Map.of("text", slackText(alert, action));
      case PAGERDUTY -> pagerDuty(route, alert, action);
    };
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> webhook(Alert alert, String action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", "lakehouse-ops");
    body.put("action", action);
    body.put("event", alert.kind().value());
    body.put("dataset", alert.dataset());
    body.put("partition", alert.partition());
    body.put("run_id", alert.runId());
    body.put("summary", alert.summary());
    body.put("rules", alert.rules());
    body.put("metrics", alert.metrics());
    body.put("inspect", alert.inspect());
    body.put("dedup_key", alert.dedupKey());
    return body;
  }

  private static String slackText(Alert alert, String action) {
    StringBuilder text = new StringBuilder(RESOLVE.equals(action) ? "Resolved: " : "")
        .append("lakehouse-ops ").append(alert.kind().value()).append(": ").append(alert.summary());
    if (!alert.rules().isEmpty()) {
      text.append("\nRules: ").append(String.join(", ", alert.rules()));
    }
    text.append("\nRun: ").append(alert.runId());
    if (alert.inspect() != null) {
      text.append("\nInspect: `").append(alert.inspect()).append('`');
    }
    return text.toString();
  }

  private static Map<String, Object> pagerDuty(AlertRoute route, Alert alert, String action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("routing_key", route.routingKey());
    body.put("event_action", action);
    body.put("dedup_key", alert.dedupKey());
    if (RESOLVE.equals(action)) {
      return body;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run_id", alert.runId());
    details.put("rules", alert.rules());
    details.put("metrics", alert.metrics());
    details.put("inspect", alert.inspect());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("summary", alert.summary());
    payload.put("source", "lakehouse-ops");
    payload.put("severity", alert.kind() == AlertKind.ANOMALY_WARNING ? "warning" : "error");
    payload.put("component", alert.dataset());
    payload.put("group", alert.partition());
    payload.put("class", alert.kind().value());
    payload.put("custom_details", details);
    body.put("payload", payload);
    return body;
  }
}
