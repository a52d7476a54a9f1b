package io.lakehouseops.sql;

import java.util.List;

/** What `sql` ran: the columns, how many rows it printed, whether --limit cut them. */
public record SqlResult(List<String> columns, long rowsPrinted, boolean truncated) {}
