package io.lakehouseops.promote;

/**
 * Whether a publish was certified: its snapshot tagged (tag) and the certified branch moved to
 * it (branch, null when it could not fast-forward); otherwise why not (reason).
 */
public record Certification(boolean certified, String tag, String branch, String reason) {
  static Certification not(String reason) {
    return new Certification(false, null, null, reason);
  }
}
