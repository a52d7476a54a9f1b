package io.lakehouseops.iceberg;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;

/**
 * A view of a table whose every commit carries lineage properties: for Iceberg actions that
 * take none (RemoveDanglingDeleteFiles commits a bare rewrite), so their snapshots too say
 * which run and command made them. Every call goes to the table; each snapshot update it hands
 * out gets the properties set.
 */
public final class LineageTable {
  private LineageTable() {}

  public static Table of(Table table, Map<String, String> properties) {
    if (!(table instanceof HasTableOperations)) {
      throw new IllegalArgumentException("Not a catalog table: " + table.name());
    }
    return (Table) Proxy.newProxyInstance(LineageTable.class.getClassLoader(),
        new Class<?>[] {Table.class, HasTableOperations.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(table, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof SnapshotUpdate<?> update) {
            properties.forEach(update::set);
          }
          return result;
        });
  }
}
