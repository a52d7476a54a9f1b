package io.lakehouseops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the fat jar as a user's spark-submit would: a child JVM with only Spark's classpath
 * (as in a stock distribution) and Spark's real entry point, org.apache.spark.deploy.SparkSubmit.
 */
public final class SparkSubmitProcess {
  private static final List<String> OPENS = List.of(
      "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
      "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
      "sun.nio.cs", "sun.security.action", "sun.util.calendar");

  /** spark-submit options of the tests: two local cores, no UI, the driver on loopback. */
  public static final List<String> LOCAL = List.of("--master", "local[2]",
      "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1");

  private SparkSubmitProcess() {}

  /** Spark's --add-opens for Java 17, one line, as spark.driver.extraJavaOptions takes them. */
  public static String addOpens() {
    return String.join(" ", OPENS.stream().map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList());
  }

  public static Path jar() {
    return Paths.get(System.getProperty("test.lakehouse.jar", "target/missing.jar"));
  }

  /** Builds the child command: java ... SparkSubmit [sparkArgs] JAR [appArgs]. */
  public static ProcessBuilder builder(List<String> sparkArgs, List<String> appArgs) throws IOException {
    return builder(List.of(), sparkArgs, appArgs);
  }

  /** As above, with extra JVM options for the child (client mode: the driver is this JVM). */
  public static ProcessBuilder builder(List<String> jvmArgs, List<String> sparkArgs, List<String> appArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(javaCommand());
    command.addAll(ClassDataSharing.options());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classpath(), "org.apache.spark.deploy.SparkSubmit"));
    command.addAll(sparkArgs);
    command.add(jar().toString());
    command.addAll(appArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder;
  }

  /**
   * java with the options every child gets: heap, JVM warnings to stderr, Spark's --add-opens;
   * and only the JIT's first tier, as the demo runs: a child lives seconds on a few thousand
   * rows, mostly starting Spark, where compiling hot code a second time costs more than it
   * saves (-Dtest.child.c1-only=false for the default JIT).
   */
  static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    if (Boolean.parseBoolean(System.getProperty("test.child.c1-only", "true"))) {
      command.add("-XX:TieredStopAtLevel=1");
    }
    command.addAll(List.of("-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr"));
    OPENS.forEach(p -> command.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    return command;
  }

  static Path classpathFile() {
    return Paths.get(System.getProperty("test.spark.classpath", "target/spark-classpath.txt"));
  }

  static String classpath() throws IOException {
    return Files.readString(classpathFile()).strip();
  }

  /** Runs to completion (bounded), returning exit code, stdout and stderr. */
  public static CliRun run(List<String> sparkArgs, List<String> appArgs) throws Exception {
    return run(List.of(), sparkArgs, appArgs);
  }

  /** Runs to completion with extra JVM options for the child. */
  public static CliRun run(List<String> jvmArgs, List<String> sparkArgs, List<String> appArgs) throws Exception {
    return run(builder(jvmArgs, sparkArgs, appArgs));
  }

  /** Runs a child from {@link #builder} (e.g. with its environment changed) to completion. */
  public static CliRun run(ProcessBuilder builder) throws Exception {
    Path out = Files.createTempFile("spark-submit", ".out");
    Path err = Files.createTempFile("spark-submit", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("spark-submit did not finish in 5 minutes: " + builder.command());
    }
    CliRun run = new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }
}
