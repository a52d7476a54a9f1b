package io.lakehouseops.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of the S3 server that counts the bytes the server sends:
 * how P6 tells a server-side copy (a few hundred bytes of XML per object) from a job that
 * downloads what it copies.
 */
final class ByteCountingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final AtomicLong fromServer = new AtomicLong();
  private final ExecutorService relays = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "bench-proxy");
    thread.setDaemon(true);
    return thread;
  });

  ByteCountingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    relays.submit(this::accept);
  }

  String endpoint() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  long bytesFromServer() {
    return fromServer.get();
  }

  void reset() {
    fromServer.set(0);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        relays.submit(() -> pump(client, server, null));
        relays.submit(() -> pump(server, client, fromServer));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
        if (counter != null) {
          counter.addAndGet(n);
        }
      }
    } catch (IOException e) {
      // the other side closed: the connection is over
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    relays.shutdownNow();
  }
}
