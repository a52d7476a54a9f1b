package io.lakehouseops.health;

/** One maintenance step a table needs: what, why, and the command line that does it. */
public record Recommendation(String action, String reason, String command) {}
