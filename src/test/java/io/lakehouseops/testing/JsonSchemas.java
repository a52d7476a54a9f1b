package io.lakehouseops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON Schemas the tests hold output to: the report's (docs/report.schema.json, the one
 * users read) and OpenLineage's run event (the parts this tool emits). Formats (date-time,
 * uri, uuid) are asserted, not only annotated.
 */
public final class JsonSchemas {
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .formatAssertionsEnabled(true).build();
  private static JsonSchema report;
  private static JsonSchema runEvent;

  private JsonSchemas() {}

  /** Throws AssertionError listing every violation of the report's schema. */
  public static void assertValidReport(JsonNode node) {
    assertValid(reportSchema(), node, "report");
  }

  public static void assertValidRunEvent(JsonNode node) {
    assertValid(runEventSchema(), node, "OpenLineage run event");
  }

  /** The violations, empty when valid. */
  public static Set<String> reportViolations(JsonNode node) {
    return reportSchema().validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
  }

  private static void assertValid(JsonSchema schema, JsonNode node, String what) {
    Set<ValidationMessage> errors = schema.validate(node);
    if (!errors.isEmpty()) {
      throw new AssertionError("Not a valid " + what + ": " + errors.stream().map(ValidationMessage::getMessage)
          .sorted().toList() + "\n" + node);
    }
  }

  private static synchronized JsonSchema reportSchema() {
    if (report == null) {
      try (InputStream in = Files.newInputStream(Path.of("docs", "report.schema.json"))) {
        report = factory().getSchema(in, CONFIG);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return report;
  }

  private static synchronized JsonSchema runEventSchema() {
    if (runEvent == null) {
      try (InputStream in = JsonSchemas.class.getResourceAsStream("/openlineage/run-event.schema.json")) {
        runEvent = factory().getSchema(in, CONFIG);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return runEvent;
  }

  private static JsonSchemaFactory factory() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  }
}
