package io.lakehouseops.lineage;

import java.util.List;

/** What a run read (inputs) and wrote (outputs). */
public record LineageDatasets(List<LineageDataset> inputs, List<LineageDataset> outputs) {
  public static final LineageDatasets NONE = new LineageDatasets(List.of(), List.of());
}
