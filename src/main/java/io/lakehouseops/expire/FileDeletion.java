package io.lakehouseops.expire;

import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.util.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes files no snapshot references any more through the table's FileIO: in bulk where it
 * can, otherwise one by one on the pool, three tries each. A file that cannot be deleted is
 * left as an orphan with a warning, never a failure: the expiry is already committed, and
 * `expire-snapshots --remove-orphans` finds it later.
 */
final class FileDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(FileDeletion.class);

  private final FileIO io;
  private final ExecutorService pool;

  FileDeletion(FileIO io, ExecutorService pool) {
    this.io = io;
    this.pool = pool;
  }

  void delete(List<String> paths, String kind) {
    if (paths.isEmpty()) {
      return;
    }
    if (io instanceof SupportsBulkOperations bulk) {
      try {
        bulk.deleteFiles(paths);
      } catch (BulkDeletionFailureException e) {
        LOG.warn("{} of {} expired {} files could not be deleted and are orphans now (expire-snapshots "
            + "--remove-orphans removes them): {}", e.numberFailedObjects(), paths.size(), kind, e.getMessage());
      }
      return;
    }
    Tasks.foreach(paths).executeWith(pool).retry(3).stopRetryOn(NotFoundException.class)
        .suppressFailureWhenFinished()
        .onFailure((path, e) -> LOG.warn("Expired {} file {} could not be deleted and is an orphan now "
            + "(expire-snapshots --remove-orphans removes it): {}", kind, path, e.getMessage()))
        .run(io::deleteFile);
  }
}
