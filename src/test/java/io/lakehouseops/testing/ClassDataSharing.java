package io.lakehouseops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Class-data sharing for the spark-submit children: an archive of the classes a child loads
 * from Spark's classpath (Spark, Hadoop, Scala), written once by a first child and then mapped
 * by every other one, which takes their start from about 10 s to 6 s. The archive is kept
 * while the classpath is unchanged (the lakehouse jar is not in it: spark-submit loads that
 * itself). -Dtest.cds=false turns it off; if the archive cannot be made, children run without.
 */
final class ClassDataSharing {
  private static List<String> options;

  private ClassDataSharing() {}

  static synchronized List<String> options() {
    if (options == null) {
      options = prepare();
    }
    return options;
  }

  private static List<String> prepare() {
    if (!Boolean.parseBoolean(System.getProperty("test.cds", "true"))) {
      return List.of();
    }
    Path archive = SparkSubmitProcess.jar().resolveSibling("spark-submit-tests.jsa");
    try {
      if (!isFresh(archive) && !write(archive)) {
        return List.of();
      }
      return List.of("-XX:SharedArchiveFile=" + archive);
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static boolean isFresh(Path archive) throws IOException {
    return Files.exists(archive) && Files.getLastModifiedTime(archive)
        .compareTo(Files.getLastModifiedTime(SparkSubmitProcess.classpathFile())) > 0;
  }

  /** One child that starts Spark and runs a query, dumping the classes it loaded at exit. */
  private static boolean write(Path archive) throws IOException, InterruptedException {
    Path fresh = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
    List<String> command = new ArrayList<>(SparkSubmitProcess.javaCommand());
    command.add("-XX:ArchiveClassesAtExit=" + fresh);
    command.addAll(List.of("-cp", SparkSubmitProcess.classpath(), "org.apache.spark.deploy.SparkSubmit"));
    command.addAll(SparkSubmitProcess.LOCAL);
    command.add(SparkSubmitProcess.jar().toString());
    command.addAll(List.of("sql", "SELECT 1", "--config", TestLakehouse.configFile().toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    boolean done = process.waitFor(3, TimeUnit.MINUTES) && process.exitValue() == 0 && Files.exists(fresh);
    if (!done) {
      process.destroyForcibly();
      Files.deleteIfExists(fresh);
      return false;
    }
    Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
