package io.lakehouseops.tier;

import io.lakehouseops.iceberg.TableFiles;
import io.lakehouseops.storage.PriceTable;
import io.lakehouseops.storage.StorageClass;
import io.lakehouseops.storage.StorageClassMover;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts what tier did (or would do), thread-safe, and prices it. */
final class TierTally {
  private final PriceTable prices;
  private final String bucket;
  private final StorageClassMover.Versioning versioning;
  /** Bytes a copy leaves behind as noncurrent versions, by the class they stay billed in. */
  private final Map<StorageClass, Long> noncurrent = new EnumMap<>(StorageClass.class);
  private final Map<StorageClass, Long> before = new EnumMap<>(StorageClass.class);
  private final Map<StorageClass, Long> after = new EnumMap<>(StorageClass.class);
  private final Map<StorageClass, Long> billedBefore = new EnumMap<>(StorageClass.class);
  private final Map<StorageClass, Long> billedAfter = new EnumMap<>(StorageClass.class);
  private final Map<StorageClass, Long> filesByTarget = new EnumMap<>(StorageClass.class);
  private final Map<StorageClass, Long> bytesByTarget = new EnumMap<>(StorageClass.class);
  private final List<String> failedKeys = new ArrayList<>();
  private long moved;
  private long toMove;
  private long skipped;
  private long failed;
  private long requests;
  private long smallObjects;
  private long copyRequestsByTarget;
  private double requestCost;

  TierTally(PriceTable prices, String bucket, StorageClassMover.Versioning versioning) {
    this.prices = prices;
    this.bucket = bucket;
    this.versioning = versioning;
  }

  synchronized void skipped(StorageClass current, long bytes) {
    skipped++;
    add(current, current, bytes);
  }

  synchronized void wouldMove(StorageClass from, StorageClass to, long bytes) {
    toMove++;
    target(to, bytes, 1);
    add(from, to, bytes);
    leftBehind(from, bytes);
  }

  synchronized void moved(StorageClass from, StorageClass to, long bytes, int requestCount) {
    moved++;
    requests += requestCount;
    target(to, bytes, requestCount);
    add(from, to, bytes);
    leftBehind(from, bytes);
  }

  /** In a versioned bucket the copy's source stays, noncurrent, billed in its class until expired. */
  private void leftBehind(StorageClass from, long bytes) {
    if (versioning == StorageClassMover.Versioning.ENABLED) {
      noncurrent.merge(from, bytes, Long::sum);
    }
  }

  synchronized void failed(String key, long bytes) {
    failed++;
    if (failedKeys.size() < TierJob.FAILED_LISTED) {
      failedKeys.add(key);
    }
  }

  synchronized long moved() {
    return moved;
  }

  synchronized long toMove() {
    return toMove;
  }

  synchronized long skipped() {
    return skipped;
  }

  synchronized long failed() {
    return failed;
  }

  private void target(StorageClass to, long bytes, int requestCount) {
    filesByTarget.merge(to, 1L, Long::sum);
    bytesByTarget.merge(to, bytes, Long::sum);
    requestCost += prices.requestCost(to, requestCount);
    copyRequestsByTarget += requestCount;
    if (prices.billedBytes(to, bytes) > bytes) {
      smallObjects++;
    }
  }

  private void add(StorageClass from, StorageClass to, long bytes) {
    before.merge(from, bytes, Long::sum);
    after.merge(to, bytes, Long::sum);
    billedBefore.merge(from, prices.billedBytes(from, bytes), Long::sum);
    billedAfter.merge(to, prices.billedBytes(to, bytes), Long::sum);
  }

  synchronized TierResult result(String table, TierSettings settings, List<TableFiles.TableFile> files,
      long candidates) {
    long hotBytes = files.stream().mapToLong(TableFiles.TableFile::bytes).sum()
        - before.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> beforeByClass = names(before);
    Map<String, Long> afterByClass = names(after);
    if (hotBytes > 0) { // files in partitions no rule reaches: not looked at, hot
      beforeByClass.merge("STANDARD (not tiered)", hotBytes, Long::sum);
      afterByClass.merge("STANDARD (not tiered)", hotBytes, Long::sum);
    }
    double costBefore = cost(billedBefore) + prices.monthlyCost(StorageClass.STANDARD, Math.max(0, hotBytes));
    double costAfter = cost(billedAfter) + prices.monthlyCost(StorageClass.STANDARD, Math.max(0, hotBytes))
        + cost(noncurrent);
    long noncurrentBytes = noncurrent.values().stream().mapToLong(Long::longValue).sum();
    List<String> warnings = new ArrayList<>();
    if (versioning == StorageClassMover.Versioning.ENABLED) {
      warnings.add("bucket " + bucket + " is versioned: each copy leaves the object's old version (" + noncurrentBytes
          + " bytes in all) billed in its old class until a lifecycle rule expires noncurrent versions "
          + "(NoncurrentVersionExpiration; docs/tier.md); the cost after counts them");
    } else if (versioning == StorageClassMover.Versioning.UNKNOWN) {
      warnings.add("could not read the versioning of bucket " + bucket + " (s3:GetBucketVersioning): if it is "
          + "versioned, each copy leaves a noncurrent version billed in the old class until a lifecycle rule "
          + "expires it");
    }
    if (smallObjects > 0) {
      warnings.add(smallObjects + " objects are under the " + prices.minimumBillableBytes()
          + "-byte minimum billable size of their target class: S3 bills them as if they were that large,"
          + " so moving them can cost more than it saves");
    }
    filesByTarget.keySet().forEach(c -> {
      Integer days = prices.minimumDays().get(c);
      if (days != null && days > 0) {
        warnings.add(c + " bills at least " + days + " days of storage per object: moving or deleting "
            + "objects earlier costs the rest of those days");
      }
    });
    return new TierResult(table, settings.dryRun(), settings.asOf().toString(),
        settings.rules().stream().map(r -> r.age().toDays() + "d=" + r.target()).toList(),
        files.size(), candidates - skipped - failed, moved, skipped, failed, List.copyOf(failedKeys),
        beforeByClass, afterByClass, names(filesByTarget), names(bytesByTarget), requests,
        round(costBefore), round(costAfter), round(costBefore - costAfter), round(requestCost), noncurrentBytes,
        warnings);
  }

  private double cost(Map<StorageClass, Long> bytes) {
    return bytes.entrySet().stream().mapToDouble(e -> prices.monthlyCost(e.getKey(), e.getValue())).sum();
  }

  private static Map<String, Long> names(Map<StorageClass, Long> map) {
    Map<String, Long> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(k.name(), v));
    return result;
  }

  private static double round(double dollars) {
    return Math.round(dollars * 1_000_000) / 1_000_000.0;
  }
}
