package io.lakehouseops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/** Wall-clock timing of repeated runs; the median keeps one noisy run from deciding a ratio. */
final class Stopwatch {
  private Stopwatch() {}

  static double seconds(Callable<?> action) {
    long start = System.nanoTime();
    try {
      action.call();
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed: " + e.getMessage(), e);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
