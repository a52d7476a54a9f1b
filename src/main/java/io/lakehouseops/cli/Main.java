package io.lakehouseops.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point for spark-submit and the local launcher. */
public final class Main {
  private Main() {}

  /** A package Spark opens by reflection on Java 17: without it, Spark fails deep in its start. */
  private static final String OPENED = "sun.nio.ch";

  public static void main(String[] args) {
    if (!Object.class.getModule().isOpen(OPENED, Main.class.getModule())) {
      // spark-submit adds Spark's --add-opens to a driver it starts itself (client mode); a
      // driver a cluster manager starts (standalone cluster mode) gets only what the user passes.
      System.err.println("lakehouse-ops: this JVM was started without the --add-opens flags Spark needs on "
          + "Java 17 (--add-opens=java.base/" + OPENED + "=ALL-UNNAMED and others); with --deploy-mode cluster, "
          + "pass them in --conf spark.driver.extraJavaOptions (docs/cluster.md lists them)");
      System.exit(2);
    }
    int exitCode = run(args, System.out, System.err);
    System.out.flush();
    System.exit(exitCode);
  }

  /** Runs one command line in-process and returns its exit code (tests call this). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter stdout = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter stderr = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    int code = LakehouseOpsCommand.commandLine(stdout, stderr).execute(args);
    stdout.flush();
    stderr.flush();
    return code;
  }
}
