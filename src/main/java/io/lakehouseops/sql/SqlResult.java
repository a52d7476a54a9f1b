package io.lakehouseops.sql;

import java.util.List;

/**
 * What `sql` ran: the rows it printed in all, whether --limit cut any statement's, and each
 * statement's columns and rows in the order given (the statements' text stays out of the
 * report: it may hold credentials, as a table's properties can).
 */
public record SqlResult(long rowsPrinted, boolean truncated, List<Statement> statements) {
  /** The result of the statements run, with their totals. */
  static SqlResult of(List<Statement> statements) {
    return new SqlResult(statements.stream().mapToLong(Statement::rowsPrinted).sum(),
        statements.stream().anyMatch(Statement::truncated), List.copyOf(statements));
  }

  /** One statement's columns, how many rows it printed, whether --limit cut them. */
  public record Statement(List<String> columns, long rowsPrinted, boolean truncated) {}
}
