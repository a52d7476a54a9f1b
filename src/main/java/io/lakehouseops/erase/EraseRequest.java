package io.lakehouseops.erase;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.promote.Certifier;
import java.util.List;

/**
 * One erasure request, checked: the dataset, the tables it erases from (curated, quarantine,
 * then erase.also, those that exist), who it names, and how far it may go.
 */
public record EraseRequest(
    String requestId,
    DatasetSettings dataset,
    List<TableRef> tables,
    Subjects subjects,
    Reach reach,
    double maxRowFraction) {

  /** The refs of the dataset's tables that the project made, released without asking. */
  PinnedRefs.Own ownRefs() {
    return new PinnedRefs.Own(Certifier.tagPrefix(dataset), Certifier.branch(dataset));
  }

  /** What the request may do beyond rewriting the tables' files. */
  public record Reach(boolean purgeRaw, boolean releaseRefs, boolean force, boolean dryRun) {}
}
