package io.lakehouseops.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/** The descriptions of the Spark jobs a run starts (the jobs name themselves: "lakehouse-ops: ..."). */
public final class JobDescriptions extends SparkListener {
  private final Set<String> descriptions = ConcurrentHashMap.newKeySet();

  /**
   * Runs the job with this listener registered, once its events are delivered. Earlier jobs'
   * events are delivered first: a listener added while they queue would hear them too.
   */
  public CliRun during(SparkSession spark, Supplier<CliRun> run) throws java.util.concurrent.TimeoutException {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(this);
    try {
      CliRun done = run.get();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return done;
    } finally {
      spark.sparkContext().removeSparkListener(this);
    }
  }

  public Set<String> descriptions() {
    return descriptions;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String description = jobStart.properties() == null ? null
        : jobStart.properties().getProperty("spark.job.description");
    if (description != null) {
      descriptions.add(description);
    }
  }
}
