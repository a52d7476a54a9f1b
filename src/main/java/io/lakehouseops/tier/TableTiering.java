package io.lakehouseops.tier;

import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.storage.S3ClientFactory;
import io.lakehouseops.storage.StorageClassMover;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * tier of one table, wired: refused unless on S3, an S3 client for its bucket from S3A's
 * settings (fs.s3a.bucket.BUCKET.* included), the SSE-C key if configured, the tiering log.
 */
public final class TableTiering {
  private TableTiering() {}

  /** eventTime: the dataset's event-time column, or null for a table given by name. */
  public static JobOutcome run(SparkSession spark, LakehouseSettings lakehouse, TableRef ref, TierSettings settings,
      String runId, String eventTime) throws Exception {
    Table iceberg = Tables.load(spark, ref);
    TierJob.requireS3(ref, iceberg);
    Configuration hadoop = S3ClientFactory.forBucket(spark.sessionState().newHadoopConf(),
        StorageClassMover.S3Location.of(iceberg.location()).bucket());
    try (S3Client s3 = S3ClientFactory.create(hadoop, settings.maxAttempts())) {
      return new TierJob(iceberg, ref, settings, new StorageClassMover(s3, S3ClientFactory.customerKey(hadoop)),
          new TieringLog(spark, lakehouse.opsTable(TieringLog.NAME)), runId, eventTime).execute();
    }
  }
}
