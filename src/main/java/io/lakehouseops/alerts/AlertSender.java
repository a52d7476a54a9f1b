package io.lakehouseops.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs one alert body to one route with bounded retries and exponential back-off: a
 * connection failure, 429 or 5xx is retried, any other answer is final. Never throws: the
 * outcome is a Delivery, and nothing in it names the URL.
 */
final class AlertSender {
  private final HttpClient client;
  private final AlertSettings settings;

  AlertSender(AlertSettings settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  Delivery send(AlertRoute route, Alert alert, String action) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(route.url())).timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(AlertPayloads.body(route, alert, action))).build();
    Integer status = null;
    String error = null;
    int attempt = 0;
    while (attempt < settings.maxAttempts()) {
      attempt++;
      try {
        status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          return new Delivery(alert.kind(), alert.dataset(), alert.partition(), route.type(), action, true, status,
              attempt, null);
        }
        error = "HTTP " + status;
        if (status != 429 && status / 100 != 5) {
          break;
        }
      } catch (IOException e) {
        error = e.getClass().getSimpleName(); // its message may carry the URL
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
        break;
      }
      if (attempt < settings.maxAttempts()) {
        sleep(settings.backoff().multipliedBy(1L << (attempt - 1)));
      }
    }
    return new Delivery(alert.kind(), alert.dataset(), alert.partition(), route.type(), action, false, status,
        attempt, error);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
