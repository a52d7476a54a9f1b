package io.lakehouseops.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of a plain-HTTP server (the test S3 server). It counts the
 * bytes the server sends (how the tier benchmark tells a server-side copy, a few hundred bytes
 * of XML per object, from a job that downloads what it copies) and, when asked, keeps what
 * clients send: the request headers a test asserts on (what a server does with a header is its
 * own business; a lenient one hides a request that left a header out). It can also hold each
 * request for a set latency, as a real S3 endpoint answers in tens of milliseconds where the
 * loopback server answers in microseconds.
 */
public final class LoopbackRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final boolean recordRequests;
  private final AtomicLong fromServer = new AtomicLong();
  private volatile long latencyMillis;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final ExecutorService relays = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "loopback-relay");
    thread.setDaemon(true);
    return thread;
  });

  /** recordRequests: keep every byte clients send (for a test's few requests, not a benchmark's uploads). */
  public LoopbackRelay(int targetPort, boolean recordRequests) throws IOException {
    this.targetPort = targetPort;
    this.recordRequests = recordRequests;
    this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    relays.submit(this::accept);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  public long bytesFromServer() {
    return fromServer.get();
  }

  /**
   * Each request (the first bytes a client sends after the server's last answer on that
   * connection) waits this long before it reaches the server: one round trip per request.
   */
  public void latency(long millis) {
    this.latencyMillis = millis;
  }

  /** Starts counting (and recording) again from zero. */
  public void reset() {
    fromServer.set(0);
    synchronized (sent) {
      sent.reset();
    }
  }

  /** Each request's start line and headers, names lower-cased, as clients sent them so far. */
  public List<String> requestHeads() {
    String text;
    synchronized (sent) {
      text = sent.toString(StandardCharsets.ISO_8859_1);
    }
    List<String> heads = new ArrayList<>();
    for (String block : text.split("\r\n\r\n")) {
      int start = firstRequestLine(block);
      if (start >= 0) {
        heads.add(lowerCaseNames(block.substring(start)));
      }
    }
    return heads;
  }

  private static int firstRequestLine(String block) {
    for (String method : List.of("GET ", "PUT ", "POST ", "HEAD ", "DELETE ")) {
      int at = block.indexOf(method);
      if (at == 0 || at > 0 && block.charAt(at - 1) == '\n') {
        return at;
      }
    }
    return -1;
  }

  private static String lowerCaseNames(String head) {
    StringBuilder result = new StringBuilder();
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      result.append(colon > 0 && result.length() > 0
          ? line.substring(0, colon).toLowerCase(Locale.ROOT) + line.substring(colon) : line).append('\n');
    }
    return result.toString();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        AtomicBoolean newRequest = new AtomicBoolean(true);
        relays.submit(() -> pump(client, server, true, newRequest));
        relays.submit(() -> pump(server, client, false, newRequest));
      } catch (IOException e) {
        return;
      }
    }
  }

  /**
   * fromClient: the direction, client to server (recorded if asked, held for the latency when
   * it starts a request) or back (counted; the next bytes from the client start a request).
   */
  private void pump(Socket from, Socket to, boolean fromClient,
      AtomicBoolean newRequest) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (fromClient && latencyMillis > 0 && newRequest.compareAndSet(true, false)) {
          Thread.sleep(latencyMillis);
        }
        if (!fromClient) {
          newRequest.set(true);
          fromServer.addAndGet(n);
        } else if (recordRequests) {
          synchronized (sent) {
            sent.write(buffer, 0, n);
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    relays.shutdownNow();
  }
}
