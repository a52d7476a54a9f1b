package io.lakehouseops.bench;

/**
 * One benchmark's result: the subject against its baseline, both timed in the same run on the
 * same data. ratio = subject / baseline (or, for speed-ups, baseline / subject: see higherIsBetter).
 */
public record Measurement(
    String id,
    String name,
    String subject,
    String baseline,
    double subjectSeconds,
    double baselineSeconds,
    double ratio,
    String target,
    boolean met,
    long rows,
    double rowsPerSecond,
    Long sparkJobs,
    String note) {

  /** A cost ratio reported without a target (what a job costs against the work it replaces). */
  static Measurement reported(String id, String name, String subject, String baseline, double subjectSeconds,
      double baselineSeconds, long rows, String note) {
    return new Measurement(id, name, subject, baseline, subjectSeconds, baselineSeconds,
        subjectSeconds / baselineSeconds, "reported", true, rows, rows / subjectSeconds, null, note);
  }

  /** A cost ratio: the subject should take at most `max` times the baseline. */
  static Measurement cost(String id, String name, String subject, String baseline, double subjectSeconds,
      double baselineSeconds, double max, long rows, Long jobs, String note) {
    double ratio = subjectSeconds / baselineSeconds;
    return new Measurement(id, name, subject, baseline, subjectSeconds, baselineSeconds, ratio,
        "<= " + max + "x", ratio <= max, rows, rows / subjectSeconds, jobs, note);
  }

  /** A speed-up: the subject should be at least `min` times faster than the baseline. */
  static Measurement speedup(String id, String name, String subject, String baseline, double subjectSeconds,
      double baselineSeconds, double min, long rows, Long jobs, String note) {
    double ratio = baselineSeconds / subjectSeconds;
    return new Measurement(id, name, subject, baseline, subjectSeconds, baselineSeconds, ratio,
        ">= " + min + "x faster", ratio >= min, rows, rows / subjectSeconds, jobs, note);
  }

  /**
   * A share (e.g. of files planned) that should be at most `max`; ratio is the subject's share,
   * the times are those of the subject's and the baseline's runs.
   */
  static Measurement share(String id, String name, String subject, String baseline, double subjectSeconds,
      double baselineSeconds, double subjectShare, double baselineShare, double max, long rows, String note) {
    return new Measurement(id, name, subject, baseline, subjectSeconds, baselineSeconds, subjectShare,
        "<= " + Math.round(max * 100) + "% of files", subjectShare <= max, rows, rows / subjectSeconds, null,
        String.format(java.util.Locale.ROOT, "baseline leaves %.1f%%; ", baselineShare * 100) + note);
  }

  /** How the ratio reads: "2.31x", or "11.2%" for a share (a target in percent). */
  String ratioText() {
    return target.contains("%") ? String.format(java.util.Locale.ROOT, "%.1f%%", ratio * 100)
        : String.format(java.util.Locale.ROOT, "%.2fx", ratio);
  }

  /** No baseline: a fixed cost users should know (e.g. a no-op run's start to report). */
  static Measurement floor(String id, String name, double seconds, String note) {
    return new Measurement(id, name, name, "-", seconds, 0, 0, "-", true, 0, 0, null, note);
  }
}
