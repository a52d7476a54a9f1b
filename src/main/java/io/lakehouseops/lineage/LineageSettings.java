package io.lakehouseops.lineage;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;

/**
 * lakehouse.lineage: whether runs emit OpenLineage events and where to. Off by default. url and
 * api-key are secrets (redacted like every url and key); namespace names this tool's jobs.
 * airflow-namespace: the job namespace of a parent Airflow run known only by --dag-run-id.
 */
public record LineageSettings(boolean enabled, LineageTransport transport, URI url, String endpoint,
    String apiKey, String file, String namespace, String airflowNamespace, Duration timeout) {

  static final String PATH = "lakehouse.lineage";

  public static LineageSettings from(Config config) {
    Config c = config.getConfig(PATH);
    String given = c.getString("transport");
    LineageTransport transport = Arrays.stream(LineageTransport.values()).filter(t -> t.value().equals(given))
        .findFirst().orElseThrow(() -> new ConfigException("Invalid configuration at " + PATH + ".transport: '"
            + given + "' should be console, file or http"));
    boolean enabled = c.getBoolean("enabled");
    URI url = null;
    if (enabled && transport == LineageTransport.HTTP) {
      url = url(c.getString("url"));
    }
    if (enabled && transport == LineageTransport.FILE && c.getString("file").isBlank()) {
      throw new ConfigException("Invalid configuration at " + PATH + ".file: transport = file needs a local file "
          + "path to append the events to");
    }
    if (c.getString("namespace").isBlank()) {
      throw new ConfigException("Invalid configuration at " + PATH + ".namespace: the jobs' namespace cannot be "
          + "empty");
    }
    return new LineageSettings(enabled, transport, url, c.getString("endpoint"), c.getString("api-key"),
        c.getString("file"), c.getString("namespace"), c.getString("airflow-namespace"), c.getDuration("timeout"));
  }

  /** The endpoint's base URL; the message never shows it (it may carry a token). */
  private static URI url(String text) {
    try {
      URI url = new URI(text);
      if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
        throw new URISyntaxException("(redacted)", "not an http(s) URL with a host");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new ConfigException("Invalid configuration at " + PATH + ".url: transport = http needs the "
          + "OpenLineage endpoint's http(s) base URL, e.g. url = ${?OPENLINEAGE_URL}");
    }
  }
}
