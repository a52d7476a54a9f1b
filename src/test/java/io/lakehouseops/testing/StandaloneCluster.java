package io.lakehouseops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Spark standalone cluster for a test class: a master and workers, each its own JVM on
 * loopback, started as Spark's sbin scripts start them (Master and Worker main classes) from a
 * SPARK_HOME whose jars/ holds the Spark jars of the Maven build, as a distribution's does.
 * Workers launch executors (and, in cluster deploy mode, drivers) from that SPARK_HOME.
 */
public final class StandaloneCluster implements BeforeAllCallback, AfterAllCallback {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int workers;
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> workerUiPorts = new ArrayList<>();
  private Path home;
  private int masterPort;
  private int masterUiPort;

  public StandaloneCluster(int workers) {
    this.workers = workers;
  }

  /** spark://127.0.0.1:PORT */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The master's JSON API: workers, applications, drivers. */
  public JsonNode master() throws IOException {
    return json(masterUiPort);
  }

  /** Each worker's JSON API: its executors and drivers, running and finished. */
  public List<JsonNode> workers() throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (int port : workerUiPorts) {
      nodes.add(json(port));
    }
    return nodes;
  }

  /** The application ids each worker ran executors of, from its JSON API. */
  public List<java.util.Set<String>> executorApps() throws IOException {
    List<java.util.Set<String>> apps = new ArrayList<>();
    for (JsonNode worker : workers()) {
      java.util.Set<String> ids = new java.util.TreeSet<>();
      for (String list : List.of("executors", "finishedexecutors")) {
        worker.path(list).forEach(e -> ids.add(e.path("appid").asText()));
      }
      apps.add(ids);
    }
    return apps;
  }

  /**
   * How each executor of the application ended, from the workers' logs ("Executor APP/N
   * finished with state S"): KILLED when the application stopped it, FAILED or EXITED when it died.
   */
  public List<String> executorEndStates(String appId) throws IOException {
    List<String> states = new ArrayList<>();
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        "Executor " + java.util.regex.Pattern.quote(appId) + "/\\d+ finished with state (\\w+)");
    for (int i = 0; i < workers; i++) {
      java.util.regex.Matcher m = line.matcher(Files.readString(home.resolve("worker-" + i + ".log")));
      while (m.find()) {
        states.add(m.group(1));
      }
    }
    return states;
  }

  /** The directory a worker keeps its applications' and drivers' files in (stdout, stderr). */
  public Path workDir(int worker) {
    return home.resolve("work-" + worker);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    home = TempTrees.create("spark-standalone");
    Path sparkHome = sparkHome();
    masterPort = freePort();
    masterUiPort = freePort();
    start(sparkHome, "master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)), List.of());
    await(() -> "ALIVE".equals(master().path("status").asText()), "the master");
    for (int i = 0; i < workers; i++) {
      int uiPort = freePort();
      workerUiPorts.add(uiPort);
      Files.createDirectories(workDir(i));
      start(sparkHome, "worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--cores", "1", "--memory", "1536m", "--webui-port", String.valueOf(uiPort),
          "--work-dir", workDir(i).toString(), masterUrl()), List.of());
    }
    await(() -> master().path("aliveworkers").asInt() == workers, workers + " workers");
  }

  /** SPARK_HOME with RELEASE (so Spark's launcher takes jars/ as the distribution's) and jars/. */
  private Path sparkHome() throws IOException {
    Path sparkHome = home.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark from the Maven build of lakehouse-ops' tests\n");
    for (String entry : SparkSubmitProcess.classpath().split(java.io.File.pathSeparator)) {
      Path jar = Paths.get(entry);
      Path link = jars.resolve(jar.getFileName());
      if (entry.endsWith(".jar") && !Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    return sparkHome;
  }

  private void start(Path sparkHome, String name, List<String> mainAndArgs, List<String> jvmArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(home.resolve(name + ".log").toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_LOG_DIR", home.toString());
    // Spark's launcher asks for the Scala version before it looks at jars/ (a distribution's
    // scripts set it); without it a worker cannot build an executor's command line.
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    processes.add(builder.start());
  }

  private interface Check {
    boolean ok() throws IOException;
  }

  private void await(Check check, String what) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (true) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.currentTimeMillis() > deadline || processes.stream().anyMatch(p -> !p.isAlive())) {
        throw new IllegalStateException("The standalone cluster did not start " + what + "; logs in " + home);
      }
      Thread.sleep(250);
    }
  }

  private static JsonNode json(int uiPort) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + uiPort + "/json/")
        .toURL().openConnection();
    connection.setConnectTimeout(1000);
    connection.setReadTimeout(5000);
    try (InputStream in = connection.getInputStream()) {
      return JSON.readTree(in);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    processes.forEach(Process::destroy);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
