#!/usr/bin/env bash
# The main job on the embedded default (SQLite JDBC catalog, ./lakehouse-local, no server):
# a fresh lakehouse, a week of sample raw data, then every subcommand that exists so far.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OPS="$ROOT/scripts/lakehouse-ops"
LOGS="$ROOT/lakehouse-local/logs"

rm -rf lakehouse-local
mkdir -p "$LOGS"
[ -n "$(ls target/lakehouse-ops-*.jar 2>/dev/null)" ] || mvn -B -q -DskipTests package

step() { printf '\n== %s\n' "$*"; }
# Runs one subcommand, logs to lakehouse-local/logs, prints its stdout; keeps going on the
# expected non-zero exit codes and remembers the report's status for the summary.
SUMMARY=()
run() {
  local name=$1 expected=$2; shift 2
  local code=0
  "$OPS" "$@" --report "$LOGS/$name.json" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || code=$?
  if [ "$code" != "$expected" ]; then
    echo "demo: '$name' exited $code, expected $expected; see $LOGS/$name.err" >&2
    tail -n 20 "$LOGS/$name.err" >&2
    exit 1
  fi
  local status
  status=$(sed -n 's/.*"status":"\([A-Z_]*\)".*/\1/p' "$LOGS/$name.json")
  SUMMARY+=("$(printf '%-28s exit %s  %s' "$name" "$code" "$status")")
}

step "sample-data: a week of user_events (2024-01-01 .. 2024-01-07), faults on 2024-01-05"
run sample-data 0 sample-data --dataset user_events --start 2024-01-01 --days 7 \
  --rows-per-day 2000 --fault-date 2024-01-05 --null-keys 25 --out-of-range 10
sed -n 's/.*"rows_written":\([0-9]*\).*/rows written: \1/p' "$LOGS/sample-data.json"
ls lakehouse-local/raw/user_events

step "sql: raw rows per partition, read straight from the Avro files"
run sql-raw-counts 0 sql "SELECT to_date(ingested_at) AS dt, count(*) AS rows, count(DISTINCT event_id) AS keys, sum(CASE WHEN event_id IS NULL THEN 1 ELSE 0 END) AS null_keys FROM avro.\`$ROOT/lakehouse-local/raw/user_events\` GROUP BY 1 ORDER BY 1"
head -n -1 "$LOGS/sql-raw-counts.out"

step "sql: the catalog"
run sql-namespaces 0 sql "SHOW NAMESPACES IN lake"
head -n -1 "$LOGS/sql-namespaces.out"

step "a bad input: an unknown dataset (exit 2, one line)"
run bad-dataset 2 sample-data --dataset clicks --start 2024-01-01
cat "$LOGS/bad-dataset.err" | grep -v ' INFO ' | head -n 1

step "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "reports and logs: lakehouse-local/logs/"
