package io.lakehouseops.alerts;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.DatasetSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * lakehouse.alerts: the global routes and how hard delivery tries; per dataset
 * `alerts { severity, routes }`, whose routes (when given) replace the global ones.
 */
public record AlertSettings(List<AlertRoute> routes, int maxAttempts, Duration backoff, Duration timeout) {

  public static AlertSettings from(Config config) {
    Config c = config.getConfig("lakehouse.alerts");
    int attempts = c.getInt("max-attempts");
    if (attempts < 1 || attempts > 10) {
      throw new ConfigException("Invalid configuration at lakehouse.alerts.max-attempts: " + attempts
          + " should be 1 to 10");
    }
    return new AlertSettings(routes(c.getConfigList("routes"), "lakehouse.alerts.routes"), attempts,
        c.getDuration("backoff"), c.getDuration("timeout"));
  }

  /** The dataset's severity (lakehouse.datasets.NAME.alerts.severity). */
  public static Severity severity(DatasetSettings dataset) {
    String text = dataset.config().getString("alerts.severity").toUpperCase(Locale.ROOT);
    try {
      return Severity.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration at lakehouse.datasets." + dataset.name()
          + ".alerts.severity: '" + text.toLowerCase(Locale.ROOT) + "' should be page, notify or none");
    }
  }

  /** The routes an alert of the dataset goes to, by its severity. */
  public List<AlertRoute> routesFor(DatasetSettings dataset) {
    Severity severity = severity(dataset);
    if (severity == Severity.NONE) {
      return List.of();
    }
    List<AlertRoute> own = routes(dataset.config().getConfigList("alerts.routes"),
        "lakehouse.datasets." + dataset.name() + ".alerts.routes");
    List<AlertRoute> chosen = own.isEmpty() ? routes : own;
    return chosen.stream().filter(r -> severity == Severity.PAGE || r.type() != RouteType.PAGERDUTY).toList();
  }

  /** Routes of runs that name no dataset (a failed maintenance run): every non-paging route. */
  public List<AlertRoute> routesWithoutDataset() {
    return routes.stream().filter(r -> r.type() != RouteType.PAGERDUTY).toList();
  }

  static List<AlertRoute> routes(List<? extends Config> configs, String path) {
    List<AlertRoute> routes = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      Config route = configs.get(i);
      String where = path + "[" + i + "]";
      if (!route.hasPath("type") || !route.hasPath("url")) {
        throw new ConfigException("Invalid configuration at " + where + ": a route needs type (webhook, slack or "
            + "pagerduty) and url, e.g. { type = slack, url = ${?SLACK_WEBHOOK_URL} }");
      }
      RouteType type;
      try {
        type = RouteType.valueOf(route.getString("type").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("Invalid configuration at " + where + ".type: '" + route.getString("type")
            + "' should be webhook, slack or pagerduty");
      }
      String url = route.getString("url");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new ConfigException("Invalid configuration at " + where + ".url: give an http(s) URL");
      }
      String key = route.hasPath("routing-key") ? route.getString("routing-key") : null;
      if (type == RouteType.PAGERDUTY && (key == null || key.isBlank())) {
        throw new ConfigException("Invalid configuration at " + where + ".routing-key: a pagerduty route needs the "
            + "integration's routing key, e.g. routing-key = ${?PAGERDUTY_ROUTING_KEY}");
      }
      routes.add(new AlertRoute(type, url, key));
    }
    return List.copyOf(routes);
  }
}
