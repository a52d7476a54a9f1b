package io.lakehouseops.alerts;

/**
 * How loud a dataset's alerts are: page (every route, PagerDuty included), notify (webhook
 * and Slack routes only), none (no alert).
 */
public enum Severity {
  PAGE,
  NOTIFY,
  NONE
}
