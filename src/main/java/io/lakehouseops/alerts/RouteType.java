package io.lakehouseops.alerts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an alert goes: a generic JSON webhook, a Slack incoming webhook, PagerDuty Events v2. */
public enum RouteType {
  WEBHOOK,
  SLACK,
  PAGERDUTY;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
