package io.lakehouseops.lineage;

import java.util.List;

/**
 * A dataset a run read or wrote: files at a location (a raw partition) or an Iceberg table by
 * its catalog name; assertions: the quality gate's rules as run on it (inputs only).
 */
public record LineageDataset(Kind kind, String id, List<QualityAssertion> assertions) {
  /** What id names. */
  public enum Kind { LOCATION, TABLE }

  public static LineageDataset location(String uri) {
    return new LineageDataset(Kind.LOCATION, uri, List.of());
  }

  public static LineageDataset table(String name) {
    return new LineageDataset(Kind.TABLE, name, List.of());
  }

  public LineageDataset withAssertions(List<QualityAssertion> gate) {
    return new LineageDataset(kind, id, List.copyOf(gate));
  }
}
