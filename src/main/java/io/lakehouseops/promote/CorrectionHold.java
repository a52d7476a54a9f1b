package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.opstables.BackfillAuditLog;
import io.lakehouseops.publish.PublishResult;
import io.lakehouseops.publish.RowChanges;
import io.lakehouseops.publish.WriteAuditPublish;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Keeps a re-promote from reverting a backfill. Raw partitions are immutable, so raw rows of an
 * event date a backfill has changed (a bug fix, a corrected source) are older than what curated
 * holds there: the admitted rows of such dates are held back, and what they would have inserted
 * and updated is reported. The unit is the event date, as it is a backfill's.
 */
final class CorrectionHold {
  /** The rows to publish, and the corrected dates whose rows were held back. */
  record Split(Dataset<Row> publishable, List<PromoteResult.KeptCorrection> kept) {}

  private final DatasetSettings dataset;
  private final BackfillAuditLog audit;

  CorrectionHold(DatasetSettings dataset, BackfillAuditLog audit) {
    this.dataset = dataset;
    this.audit = audit;
  }

  /** admitted without the rows of corrected dates; wap previews what those would have changed. */
  Split split(Dataset<Row> admitted, WriteAuditPublish wap) {
    Map<LocalDate, BackfillAuditLog.Correction> corrected = audit.corrections(dataset.name());
    if (corrected.isEmpty()) {
      return new Split(admitted, List.of());
    }
    // A row without an event time is in no corrected date: it stays publishable.
    Column inCorrected = functions.coalesce(functions.to_date(functions.col(dataset.eventTime()))
        .isin(corrected.keySet().stream().map(Date::valueOf).toArray()), functions.lit(false));
    PublishResult wouldChange = wap.preview(admitted.filter(inCorrected), false);
    List<PromoteResult.KeptCorrection> kept = new ArrayList<>();
    wouldChange.byDate().forEach((date, changes) -> {
      BackfillAuditLog.Correction correction = corrected.get(date);
      if (!changes.isEmpty() && correction != null) {
        kept.add(keptCorrection(date, correction, changes));
      }
    });
    return new Split(admitted.filter(functions.not(inCorrected)), kept);
  }

  private static PromoteResult.KeptCorrection keptCorrection(LocalDate date, BackfillAuditLog.Correction correction,
      RowChanges changes) {
    return new PromoteResult.KeptCorrection(date.toString(), correction.backfillId(), correction.triggeredBy(),
        correction.completedAt().toString(), changes.inserted(), changes.updated());
  }
}
