package io.lakehouseops.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One line for users: lines joined; a failed Spark job's embedded stack frames left out. */
class MessagesTest {
  @Test
  void linesAreJoinedWithOneSpace() {
    assertThat(Messages.oneLine("Cannot read x:\n  not Avro\r\n\nfix it  ")).isEqualTo("Cannot read x: not Avro fix it");
    assertThat(Messages.oneLine(null)).isEmpty();
  }

  @Test
  void aFailedSparkJobsStackFramesAreLeftOutAndItsCausesKept() {
    String spark = """
        Job aborted due to stage failure: Task 0 in stage 49.0 failed 1 times, most recent failure: Lost task 0.0 \
        in stage 49.0 (TID 33) (127.0.0.1 executor driver): java.lang.RuntimeException: boom in the source
        \tat org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage1.processNext(Unknown Source)
        \tat org.apache.spark.scheduler.Task.run(Task.scala:141)
        \t... 27 more
        Caused by: java.io.IOException: disk at least (almost) full
        \tat java.base/java.lang.Thread.run(Thread.java:840)

        Driver stacktrace:
        \tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2898)
        """;

    assertThat(Messages.oneLine(spark)).isEqualTo("Job aborted due to stage failure: Task 0 in stage 49.0 failed 1 "
        + "times, most recent failure: Lost task 0.0 in stage 49.0 (TID 33) (127.0.0.1 executor driver): "
        + "java.lang.RuntimeException: boom in the source Caused by: java.io.IOException: disk at least (almost) full");
  }
}
