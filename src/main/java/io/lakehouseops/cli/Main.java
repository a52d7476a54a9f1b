package io.lakehouseops.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point for spark-submit and the local launcher. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
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
