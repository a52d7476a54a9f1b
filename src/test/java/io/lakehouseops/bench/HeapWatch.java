package io.lakehouseops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap one step needs, from the JVM's own MXBeans: the most heap left live after any
 * collection while it ran (what the step held, not what it had allocated and not yet
 * collected), above the live heap before it (after a full collection). A short step may see no
 * collection of its own, so a full collection is asked for every SAMPLE_MILLIS while it runs:
 * the live heap is seen at least that often, and the step is slower (time it apart).
 * In local mode the Spark tasks run in this JVM: the driver's and the tasks' heap.
 */
final class HeapWatch {
  static final long SAMPLE_MILLIS = 100;

  /** MiB: peak live (after a collection) above the start; gcs: collections seen during the step. */
  record Heap(long peakLiveMiB, int gcs) {
    String text() {
      return String.format(Locale.ROOT, "live heap +%d MiB (%d GCs)", peakLiveMiB, gcs);
    }
  }

  private HeapWatch() {}

  static Heap sampled(Callable<?> step) {
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    System.gc();
    long start = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    AtomicLong peakLive = new AtomicLong(start);
    AtomicInteger gcs = new AtomicInteger();
    NotificationListener listener = (Notification n, Object handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long live = 0;
        for (MemoryPoolMXBean pool : pools) {
          MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
          live += after == null ? 0 : after.getUsed();
        }
        peakLive.accumulateAndGet(live, Math::max);
        gcs.incrementAndGet();
      }
    };
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    collectors.forEach(c -> ((NotificationEmitter) c).addNotificationListener(listener, null, null));
    Thread sampler = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(SAMPLE_MILLIS);
          System.gc();
        }
      } catch (InterruptedException e) {
        // the step finished
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      Stopwatch.seconds(step);
    } finally {
      sampler.interrupt();
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (GarbageCollectorMXBean c : collectors) {
        try {
          ((NotificationEmitter) c).removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return new Heap(mib(peakLive.get() - start), gcs.get());
  }

  private static long mib(long bytes) {
    return Math.max(0, bytes) >> 20;
  }
}
