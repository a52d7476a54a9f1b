package io.lakehouseops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** results.json (every number) and results.md (the table for the README). */
final class ResultsWriter {
  private ResultsWriter() {}

  static void write(Path folder, Map<String, Object> run, List<Measurement> results) throws IOException {
    Files.createDirectories(folder);
    ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(folder.resolve("results.json").toFile(), Map.of("run", run, "results", results));
    Files.writeString(folder.resolve("results.md"), markdown(run, results));
  }

  static String markdown(Map<String, Object> run, List<Measurement> results) {
    StringBuilder md = new StringBuilder();
    md.append("Scale ").append(run.get("scale")).append(" (").append(run.get("lineitem_rows"))
        .append(" lineitem rows), ").append(run.get("machine")).append(", ").append(run.get("date")).append("\n\n");
    md.append("| id | benchmark | subject s | baseline s | ratio | target | met | rows/s | Spark jobs | note |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Measurement m : results) {
      boolean floor = "-".equals(m.baseline());
      md.append("| ").append(m.id()).append(" | ").append(m.name()).append(" | ")
          .append(fmt(m.subjectSeconds())).append(" | ").append(floor ? "-" : fmt(m.baselineSeconds()))
          .append(" | ").append(floor ? "-" : m.ratioText()).append(" | ").append(m.target())
          .append(" | ").append(floor ? "-" : m.met() ? "yes" : "**no**").append(" | ")
          .append(m.rows() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", m.rowsPerSecond())).append(" | ")
          .append(m.sparkJobs() == null ? "-" : m.sparkJobs()).append(" | ").append(m.note()).append(" |\n");
    }
    return md.toString();
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
