package io.lakehouseops.lineage;

import io.lakehouseops.config.Messages;
import io.lakehouseops.config.Redactor;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.ConsoleTransport;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits a run's OpenLineage events (START, then COMPLETE or FAIL) through the official client.
 * Lineage never fails a job: an event that cannot be sent (endpoint down, refused, a file not
 * writable) is logged and counted in the report, and the run goes on.
 */
public final class LineageEmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LineageEmitter.class);
  private final LineageSettings settings;
  private final RunEvents events;
  private OpenLineageClient client;
  private int emitted;
  private int failed;
  private String lastError;

  public LineageEmitter(LineageSettings settings, LineageRun run,
      Function<String, Optional<TableDescription>> tables) {
    this.settings = settings;
    // OpenLineage's classes are loaded only when lineage is on: off, nothing of it can fail a run.
    this.events = settings.enabled() ? new RunEvents(run, tables) : null;
  }

  public void start(LineageDatasets datasets) {
    emit(() -> events.start(datasets));
  }

  public void complete(LineageDatasets datasets) {
    emit(() -> events.complete(datasets));
  }

  public void fail(LineageDatasets datasets, String error) {
    emit(() -> events.fail(datasets, error));
  }

  /** What became of the run's events; empty when lineage is off. */
  public Optional<LineageDelivery> delivery() {
    return settings.enabled() ? Optional.of(new LineageDelivery(settings.transport(), emitted, failed, lastError))
        : Optional.empty();
  }

  private void emit(java.util.function.Supplier<OpenLineage.RunEvent> event) {
    if (!settings.enabled()) {
      return;
    }
    try {
      OpenLineage.RunEvent built = event.get();
      client().emit(built);
      emitted++;
      LOG.info("Lineage: {} event of run {} sent ({})", built.getEventType(), built.getRun().getRunId(),
          settings.transport().value());
    } catch (Exception | LinkageError e) { // never in the way of the run
      failed++;
      lastError = Redactor.redactText(Messages.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
      LOG.warn("Lineage: an event could not be sent through {}; the run goes on: {}", settings.transport().value(),
          lastError);
    }
  }

  private OpenLineageClient client() {
    if (client == null) {
      client = new OpenLineageClient(transport());
    }
    return client;
  }

  private Transport transport() {
    return switch (settings.transport()) {
      case CONSOLE -> new ConsoleTransport();
      case FILE -> new FileTransport(new FileConfig(settings.file()));
      case HTTP -> {
        HttpConfig http = new HttpConfig();
        http.setUrl(settings.url());
        http.setEndpoint(settings.endpoint());
        http.setTimeoutInMillis((int) settings.timeout().toMillis());
        if (!settings.apiKey().isBlank()) {
          ApiKeyTokenProvider key = new ApiKeyTokenProvider();
          key.setApiKey(settings.apiKey());
          http.setAuth(key);
        }
        yield new HttpTransport(http);
      }
    };
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        client.close();
      } catch (Exception e) {
        LOG.debug("Lineage client did not close cleanly", e);
      }
    }
  }
}
