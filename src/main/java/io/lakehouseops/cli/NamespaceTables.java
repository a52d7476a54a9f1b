package io.lakehouseops.cli;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The tables of some namespaces of the catalog (for --all); missing namespaces have none. */
final class NamespaceTables {
  private NamespaceTables() {}

  static List<TableRef> list(SparkSession spark, String catalog, List<String> namespaces) {
    List<TableRef> tables = new ArrayList<>();
    for (String namespace : namespaces) {
      String quoted = Identifiers.quote(catalog) + "." + Identifiers.quote(namespace);
      if (spark.sql("SHOW NAMESPACES IN " + Identifiers.quote(catalog)).collectAsList().stream()
          .noneMatch(r -> r.getString(0).equals(namespace))) {
        continue;
      }
      spark.sql("SHOW TABLES IN " + quoted).collectAsList()
          .forEach(r -> tables.add(new TableRef(catalog, namespace, r.getString(1))));
    }
    return tables;
  }
}
