package io.lakehouseops.alerts;

/**
 * What became of one alert on one route: sent (a 2xx answer) or not, the last HTTP status
 * (null when no answer came), the attempts made and, when it failed, why (no URL in it).
 */
public record Delivery(AlertKind kind, String dataset, String partition, RouteType route, String action,
    boolean sent, Integer httpStatus, int attempts, String error) {}
