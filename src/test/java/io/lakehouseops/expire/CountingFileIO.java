package io.lakehouseops.expire;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.hadoop.HadoopFileIO;

/**
 * Iceberg's HadoopFileIO, counting the paths given to its bulk delete and every single-file
 * delete (its bulk delete deletes file by file inside, so with bulk deletes only, the two are
 * equal). A catalog's `io-impl` in ExpireSnapshotsCommandTest.
 */
public class CountingFileIO extends HadoopFileIO {
  static final AtomicLong BULK_PATHS = new AtomicLong();
  static final AtomicLong SINGLE_DELETES = new AtomicLong();

  @Override
  public void deleteFiles(Iterable<String> paths) {
    paths.forEach(p -> BULK_PATHS.incrementAndGet());
    super.deleteFiles(paths);
  }

  @Override
  public void deleteFile(String path) {
    SINGLE_DELETES.incrementAndGet();
    super.deleteFile(path);
  }
}
