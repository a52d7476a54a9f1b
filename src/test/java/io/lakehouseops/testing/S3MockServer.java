package io.lakehouseops.testing;

import io.lakehouseops.storage.S3ClientFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for a test class: Adobe S3Mock's exec jar as its own process
 * on loopback (never inside the Spark JVM: its Spring Boot and Jackson clash with Spark's),
 * on free ports, with the bucket "lakehouse"; stopped after the class.
 */
public final class S3MockServer implements BeforeAllCallback, AfterAllCallback {
  public static final String BUCKET = "lakehouse";
  /**
   * The one KMS key the server accepts: configured as an ARN, named in requests by its id (the
   * server checks the id against its list and encrypts nothing).
   */
  public static final String KMS_KEY_ID = "lakehouse-test-key";
  private static final String KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KMS_KEY_ID;
  private Process process;
  private int port;
  private Path log;

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** An S3 client on this server (path-style, anonymous), as tests inspect and prepare objects with. */
  public S3Client client() {
    Configuration hadoop = new Configuration(false);
    hadoop.set("fs.s3a.endpoint", endpoint());
    hadoop.set("fs.s3a.path.style.access", "true");
    hadoop.set("fs.s3a.aws.credentials.provider", "Anonymous");
    return S3ClientFactory.create(hadoop, 3);
  }

  /** spark-submit's --conf options that take a driver and its executors to this server through S3A. */
  public List<String> sparkSubmitConf() {
    return List.of(
        "--conf", "spark.hadoop.fs.s3a.endpoint=" + endpoint(),
        "--conf", "spark.hadoop.fs.s3a.path.style.access=true",
        "--conf", "spark.hadoop.fs.s3a.connection.ssl.enabled=false",
        "--conf", "spark.hadoop.fs.s3a.endpoint.region=us-east-1",
        "--conf", "spark.hadoop.fs.s3a.aws.credentials.provider="
            + "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
    awaitReady();
  }

  /** Launches the server on free ports without waiting for it (the benchmarks start Spark meanwhile). */
  public void start() throws IOException {
    Path jar = Paths.get(System.getProperty("test.s3mock.jar", "target/s3mock/s3mock.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No S3Mock jar at " + jar + ": run the Maven build (generate-test-resources)");
    }
    port = freePort();
    log = Files.createTempFile("s3mock", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar",
        jar.toString(), "--http.port=" + port, "--server.port=" + freePort()))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_INITIAL_BUCKETS", BUCKET);
    builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_VALID_KMS_KEYS", KMS_KEY_ARN);
    builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_ROOT",
        TempTrees.create("s3mock-data").toString());
    process = builder.start();
  }

  /** Waits until the server answers, at most 90 s. */
  public void awaitReady() throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (!ready()) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("S3Mock did not start; log:\n" + Files.readString(log));
      }
      Thread.sleep(250);
    }
  }

  private boolean ready() {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/favicon.ico").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(1000);
      return connection.getResponseCode() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.destroy();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
