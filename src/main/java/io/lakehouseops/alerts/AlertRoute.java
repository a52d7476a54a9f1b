package io.lakehouseops.alerts;

/** One configured route: its type, its URL and, for PagerDuty, the routing key. Both secret. */
public record AlertRoute(RouteType type, String url, String routingKey) {
  @Override
  public String toString() {
    return type.value() + " route"; // never the URL or the key
  }
}
