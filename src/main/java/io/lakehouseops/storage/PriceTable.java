package io.lakehouseops.storage;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import java.util.EnumMap;
import java.util.Map;

/** lakehouse.tier.prices: storage and request prices per class, minimum size and duration. */
public record PriceTable(Map<StorageClass, Double> perGbMonth, Map<StorageClass, Double> perThousandCopies,
    Map<StorageClass, Integer> minimumDays, long minimumBillableBytes) {
  static final double GB = 1024.0 * 1024 * 1024;

  public static PriceTable from(Config tier) {
    return new PriceTable(doubles(tier, "prices.storage-per-gb-month"),
        doubles(tier, "prices.copy-requests-per-1000"), ints(tier, "minimum-storage-days"),
        tier.getBytes("minimum-billable-size"));
  }

  /** Monthly cost of bytes in a class. */
  public double monthlyCost(StorageClass storageClass, long bytes) {
    return perGbMonth.getOrDefault(storageClass, 0.0) * bytes / GB;
  }

  /** Bytes S3 bills for one object: infrequent-access and Glacier classes bill a minimum size. */
  public long billedBytes(StorageClass storageClass, long bytes) {
    boolean hasMinimum = storageClass.colderThan(StorageClass.INTELLIGENT_TIERING)
        && storageClass != StorageClass.GLACIER && storageClass != StorageClass.DEEP_ARCHIVE;
    return hasMinimum ? Math.max(bytes, minimumBillableBytes) : bytes;
  }

  public double requestCost(StorageClass target, long requests) {
    return perThousandCopies.getOrDefault(target, 0.0) * requests / 1000.0;
  }

  private static Map<StorageClass, Double> doubles(Config tier, String path) {
    Map<StorageClass, Double> map = new EnumMap<>(StorageClass.class);
    tier.getConfig(path).root().keySet().forEach(k -> map.put(
        StorageClass.parse(k, "lakehouse.tier." + path), tier.getConfig(path).getDouble(k)));
    if (map.isEmpty()) {
      throw new ConfigException("Invalid configuration at lakehouse.tier." + path + ": no prices");
    }
    return map;
  }

  private static Map<StorageClass, Integer> ints(Config tier, String path) {
    Map<StorageClass, Integer> map = new EnumMap<>(StorageClass.class);
    tier.getConfig(path).root().keySet().forEach(k -> map.put(
        StorageClass.parse(k, "lakehouse.tier." + path), tier.getConfig(path).getInt(k)));
    return map;
  }
}
