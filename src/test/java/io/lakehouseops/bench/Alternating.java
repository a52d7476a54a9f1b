package io.lakehouseops.bench;

import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * A subject and its baseline timed on the same inputs, one input at a time: the first
 * warmUps inputs run by both untimed (class loading, JIT, the subject's first-run paths), then
 * each pair alternates which of the two runs first (the second of a pair finds the first's files
 * in the page cache), after an untimed step (counting the input's rows). P1 and P1-events time so.
 */
final class Alternating {
  private Alternating() {}

  /** Seconds of the subject and the baseline over the inputs, and the Spark jobs of the subject's last run. */
  record Totals(double subjectSeconds, double baselineSeconds, long subjectJobs) {}

  static Totals time(BenchLakehouse lake, SparkJobCounter jobs, int warmUps, int inputs, IntConsumer untimed,
      IntFunction<Callable<?>> subject, IntFunction<Callable<?>> baseline) throws Exception {
    for (int i = 0; i < warmUps; i++) {
      subject.apply(i).call();
      baseline.apply(i).call();
    }
    double subjectSeconds = 0;
    double baselineSeconds = 0;
    long subjectJobs = 0;
    jobs.resetProfile();
    for (int i = warmUps; i < inputs; i++) {
      // Named, or its jobs carry the last run's description in the profile.
      lake.spark().sparkContext().setJobDescription("bench: count the raw partition's rows (untimed)");
      untimed.accept(i);
      double[] seconds = new double[1];
      Callable<?> run = subject.apply(i);
      Runnable timedSubject = () -> seconds[0] = Stopwatch.seconds(run);
      if (i % 2 == 0) {
        baselineSeconds += Stopwatch.seconds(baseline.apply(i));
        subjectJobs = jobs.jobsOf(lake.spark(), timedSubject);
      } else {
        subjectJobs = jobs.jobsOf(lake.spark(), timedSubject);
        baselineSeconds += Stopwatch.seconds(baseline.apply(i));
      }
      subjectSeconds += seconds[0];
    }
    return new Totals(subjectSeconds, baselineSeconds, subjectJobs);
  }
}
