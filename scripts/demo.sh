#!/usr/bin/env bash
# The main job on the embedded default (SQLite JDBC catalog, ./lakehouse-local, no server):
# a fresh lakehouse, a week of sample raw data, then every subcommand that exists so far.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OPS="$ROOT/scripts/lakehouse-ops"
# Each of the demo's runs lasts seconds, mostly starting Spark: only the JIT's first tier, which
# takes a short run from about 6.7 s to 4.4 s here. Long production jobs want the default.
export LAKEHOUSE_JAVA_OPTS="${LAKEHOUSE_JAVA_OPTS:--Xmx4g -XX:TieredStopAtLevel=1}"
LOGS="$ROOT/lakehouse-local/logs"

rm -rf lakehouse-local
mkdir -p "$LOGS"

step() { printf '\n== %s\n' "$*"; }
# The report's one-line message of a run, indented, after an optional label.
said() { sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  '"${2:+$2: }"'\1/p' "$LOGS/$1.json"; }
# Runs one subcommand, logs to lakehouse-local/logs, prints its stdout; keeps going on the
# expected non-zero exit codes and remembers the report's status for the summary.
SUMMARY=()
# Planted secrets: every run gets them the ways users pass credentials (environment, --set of
# secret-named keys, a password inside a URI); the last step checks no output shows them.
PLANTED=(demo-planted-aws-secret-7Qx2 demo-planted-s3a-secret-9Kp4 demo-planted-rest-token-3Vn8
  demo-planted-uri-password-5Zt1)
export AWS_ACCESS_KEY_ID=demo-planted-access-key AWS_SECRET_ACCESS_KEY=${PLANTED[0]}
SECRET_SETS=(--set "lakehouse.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=${PLANTED[1]}"
  --set "lakehouse.catalog.properties.token=${PLANTED[2]}"
  --set "lakehouse.catalog.properties.\"s3.endpoint\"=http://demo:${PLANTED[3]}@127.0.0.1:9")
run() {
  local name=$1 expected=$2; shift 2
  local code=0
  "$OPS" "$@" "${SECRET_SETS[@]}" --report "$LOGS/$name.json" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || code=$?
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

step "promote: each day of the week, behind the quality gate (2024-01-05 has null keys and negative user ids)"
for day in 2024-01-01 2024-01-02 2024-01-03 2024-01-04 2024-01-05 2024-01-06 2024-01-07; do
  expected=0
  [ "$day" = 2024-01-05 ] && expected=3
  run "promote-$day" "$expected" promote --dataset user_events --date "$day" --dag-run-id "demo__$day"
  sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  '"$day"': \1/p' "$LOGS/promote-$day.json"
done

step "promote again: re-promoting a published day changes nothing"
run promote-again 0 promote --dataset user_events --date 2024-01-02
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/promote-again.json"

step "promote --dry-run of a missing day"
run promote-missing 0 promote --dataset user_events --date 2024-02-01 --dry-run
sed -n 's/.*"status":"\([A-Z_]*\)".*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1: \2/p' "$LOGS/promote-missing.json"

step "sql: the quality runs (ops.data_quality_runs)"
run sql-quality-runs 0 sql "SELECT partition_key, status, rules_passed, rules_failed, round(anomaly_score, 2) AS anomaly_score, row_count, snapshot_id FROM lake.ops.data_quality_runs ORDER BY run_at"
head -n -1 "$LOGS/sql-quality-runs.out"

step "sql: quarantined rows by reason"
run sql-quarantine 0 sql "SELECT _source_partition, _quarantine_reasons, count(*) AS rows FROM lake.quarantine.user_events GROUP BY 1, 2"
head -n -1 "$LOGS/sql-quarantine.out"

step "sql: curated rows per event date (late events land in their own day)"
run sql-curated 0 sql "SELECT partition.event_ts_day AS event_date, record_count FROM lake.curated.user_events.partitions ORDER BY 1"
head -n -1 "$LOGS/sql-curated.out"

step "sql: lineage of the curated snapshots (a day written first: its append, then the delete of its re-delivered rows)"
run sql-lineage 0 sql "SELECT snapshot_id, operation, summary['lakehouse.source-partition'] AS source, summary['lakehouse.dag-run-id'] AS dag_run_id FROM lake.curated.user_events.snapshots WHERE summary['lakehouse.command'] = 'promote' ORDER BY committed_at"
head -n -1 "$LOGS/sql-lineage.out"

step "backfill: a bug wrote wrong user ids on 2024-01-02; a dry run, then backfill 2024-01-01..2024-01-02 from raw"
# Several statements to one sql run share its Spark start: the corruption, then its count.
run sql-corrupt 0 sql "UPDATE lake.curated.user_events SET user_id = user_id + 1000000 WHERE CAST(event_ts AS DATE) = DATE'2024-01-02' AND pmod(hash(event_id), 20) = 0" \
  "SELECT CAST(event_ts AS DATE) AS event_date, count(*) AS corrupted_rows FROM lake.curated.user_events WHERE user_id >= 1000000 GROUP BY 1"
head -n -1 "$LOGS/sql-corrupt.out"
run backfill-dry-run 0 backfill --dataset user_events --from 2024-01-01 --to 2024-01-02 --triggered-by bug_fix --dry-run
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/backfill-dry-run.json"
run backfill 0 backfill --dataset user_events --from 2024-01-01 --to 2024-01-02 --triggered-by bug_fix --backfill-id demo-fix-1 --dag-run-id manual__demo
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/backfill.json"
run backfill-resume 0 backfill --dataset user_events --from 2024-01-01 --to 2024-01-02 --triggered-by bug_fix --backfill-id demo-fix-1
sed -n 's/.*"status":"\([A-Z_]*\)".*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  same id again: \1: \2/p' "$LOGS/backfill-resume.json"
run sql-after-backfill 0 sql "SELECT count(*) AS corrupted_rows FROM lake.curated.user_events WHERE user_id >= 1000000" \
  "SELECT backfill_id, partition_key, triggered_by, status, rows_inserted, rows_updated, rows_deleted, snapshot_id FROM lake.ops.backfill_audit_log ORDER BY started_at, partition_key"
head -n -1 "$LOGS/sql-after-backfill.out"
run backfill-bad-range 2 backfill --dataset user_events --from 2024-01-05 --to 2024-01-01 --triggered-by manual
grep -m 1 -v ' INFO \| WARN ' "$LOGS/backfill-bad-range.err"

step "alerts, certified snapshots, lineage: a local endpoint stands in for Slack and PagerDuty"
# What the endpoint received holds the planted hook path and routing key: kept out of $LOGS,
# whose files are checked for secrets at the end.
SINK_DIR=lakehouse-local/sink
mkdir -p "$SINK_DIR"
python3 scripts/http-sink.py "$SINK_DIR/port" "$SINK_DIR/sent.jsonl" &
SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$SINK_DIR/port" ] && break; sleep 0.1; done
SINK_URL="http://127.0.0.1:$(cat "$SINK_DIR/port")"
OBSERVED=(--set lakehouse.datasets.user_events.alerts.severity=page
  --set "lakehouse.datasets.user_events.alerts.routes=[{type=slack,url=\"$SINK_URL/slack/demo-planted-hook-2Wm6\"},{type=pagerduty,url=\"$SINK_URL/pd\",routing-key=demo-planted-routing-key-8Hd3}]"
  --set lakehouse.lineage.enabled=true --set lakehouse.lineage.transport=file --set "lakehouse.lineage.file=$LOGS/lineage.jsonl")
PLANTED+=(demo-planted-hook-2Wm6 demo-planted-routing-key-8Hd3)
run alert-gate 3 promote --dataset user_events --date 2024-01-05 "${OBSERVED[@]}"
said alert-gate "2024-01-05 again"
# Upstream delivers 2024-01-05 again, clean (raw files are the producer's: the tool never rewrites them).
rm -rf lakehouse-local/raw/user_events/dt=2024-01-05
run alert-redeliver 0 sample-data --dataset user_events --start 2024-01-05 --days 1 --rows-per-day 2000
run alert-resolved 0 promote --dataset user_events --date 2024-01-05 "${OBSERVED[@]}"
said alert-resolved "2024-01-05 redelivered"
run alert-late 0 health --dataset user_events --as-of 2024-01-09T12:00:00Z "${OBSERVED[@]}"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["result"]["tables"][0]["freshness"]; print("  health as of 2024-01-09 12:00: freshness %s, %s h behind (sla-hours 6)" % (f["freshness"], f["lag_hours"]))' "$LOGS/alert-late.json"
python3 - "$SINK_DIR/sent.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    sent = json.loads(line)
    body, route = sent["body"], sent["path"].split("/")[1]
    what = body.get("text", "").split("\n")[0] if route == "slack" else body["event_action"] + " " + body["dedup_key"]
    print(f"  {route:9} {what[:110]}")
PY
run certified 0 sql "SELECT name, type, snapshot_id FROM lake.curated.user_events.refs WHERE name = 'certified' OR name LIKE 'certified_%' ORDER BY name" \
  "SELECT count(*) AS rows_a_certified_reader_sees FROM lake.curated.user_events VERSION AS OF 'certified'"
head -n -1 "$LOGS/certified.out"
python3 - "$LOGS/lineage.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    ins = [i["name"].rsplit("/", 2)[-2:] for i in e.get("inputs", [])]
    failed = [a["assertion"] for i in e.get("inputs", [])
              for a in i.get("inputFacets", {}).get("dataQualityAssertions", {}).get("assertions", []) if not a["success"]]
    outs = [o["facets"]["symlinks"]["identifiers"][0]["name"] for o in e.get("outputs", [])]
    print(f"  lineage {e['eventType']:8} {e['job']['name']:22} in {['/'.join(i) for i in ins]} out {outs}"
          + (f" failed {failed}" if failed else ""))
PY
kill "$SINK"
trap - EXIT

step "erase: user 3 asks to be forgotten; a dry run, then the request; raw still holds the user, a re-promote withholds them"
run erase-dry-run 0 erase --dataset user_events --where "user_id = 3" --request-id GDPR-demo-1 --dry-run
said erase-dry-run
run erase 0 erase --dataset user_events --where "user_id = 3" --request-id GDPR-demo-1
said erase
run sql-after-erase 0 sql "SELECT count(*) AS rows_of_user_3 FROM lake.curated.user_events WHERE user_id = 3" \
  "SELECT request_id, key_columns, key_hash, status, rows_removed, files_removed, snapshots_expired FROM lake.ops.erasure_ledger"
head -n -1 "$LOGS/sql-after-erase.out"
run erase-republish 0 promote --dataset user_events --date 2024-01-03 --republish
sed -n 's/.*"rows_erased":\([0-9]*\).*/  promote --republish of 2024-01-03: \1 raw rows of erased keys withheld/p' "$LOGS/erase-republish.json"
run erase-bad-column 2 erase --dataset user_events --where "customer_id = 3" --request-id GDPR-demo-2
grep -m 1 -v ' INFO \| WARN ' "$LOGS/erase-bad-column.err"

step "retention: keep 4 days as of 2024-01-08; the guard first, then a legal hold on 2024-01-02 and a dry run"
run retention-guard 2 retention --dataset user_events --older-than 4d --as-of 2024-01-08
grep -m 1 -v ' INFO \| WARN ' "$LOGS/retention-guard.err"
HOLD=(--set 'lakehouse.datasets.user_events.retention.holds=[{from="2024-01-02",to="2024-01-02",reason="audit 2024-17"}]'
      --set lakehouse.datasets.user_events.retention.max-fraction=0.5)
run retention-dry-run 0 retention --dataset user_events --older-than 4d --as-of 2024-01-08 --dry-run "${HOLD[@]}"
said retention-dry-run
run retention 0 retention --dataset user_events --older-than 4d --as-of 2024-01-08 "${HOLD[@]}"
said retention
run sql-after-retention 0 sql "SELECT partition.event_ts_day AS event_date, record_count FROM lake.curated.user_events.partitions ORDER BY 1"
head -n -1 "$LOGS/sql-after-retention.out"

step "small appends: lake.demo.clicks, 4 appends leaving hundreds of small files (as hourly loads do), one sql run"
CLICKS=("CREATE NAMESPACE IF NOT EXISTS lake.demo"
  "CREATE TABLE lake.demo.clicks (id BIGINT, user_id BIGINT, amount DOUBLE, ts TIMESTAMP) USING iceberg PARTITIONED BY (days(ts)) TBLPROPERTIES ('write.distribution-mode'='none')")
for i in 0 1 2 3; do
  CLICKS+=("INSERT INTO lake.demo.clicks SELECT /*+ REPARTITION(60) */ id, id % 997, (id % 1000) / 10.0, timestamp_seconds(1704067200 + (id % 3) * 86400 + id % 86400) FROM range($((i * 50000)), $(((i + 1) * 50000)))")
done
run sql-clicks 0 sql "${CLICKS[@]}"

step "health: what does lake.demo.clicks need?"
run health-before 0 health --table demo.clicks
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/health-before.json"
sed -n 's/.*"data_files":\([0-9]*\),.*"avg_file_size_bytes":\([0-9]*\),.*/  data files: \1, average size: \2 bytes/p' "$LOGS/health-before.json"

step "compact --dry-run, then binpack, then z-order on (user_id, amount)"
run compact-dry-run 0 compact --table demo.clicks --dry-run
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/compact-dry-run.json"
run compact-binpack 0 compact --table demo.clicks
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  binpack: \1/p' "$LOGS/compact-binpack.json"
run compact-zorder 0 compact --table demo.clicks --strategy zorder --sort-columns user_id,amount --set lakehouse.compact.options.rewrite-all=true
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  zorder: \1/p' "$LOGS/compact-zorder.json"
run compact-bad-where 2 compact --table demo.clicks --where "no_such_column > 1"
grep -m 1 -v ' INFO \| WARN ' "$LOGS/compact-bad-where.err"

step "health again"
run health-after 0 health --table demo.clicks
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/health-after.json"

step "expire-snapshots: a dry run, then expire what the compactions left behind"
# The demo's snapshots are minutes old: --force lets a retention under the 24h guard through.
run expire-guard 2 expire-snapshots --table demo.clicks --older-than 1m
grep -m 1 -v ' INFO \| WARN ' "$LOGS/expire-guard.err"
run expire-dry-run 0 expire-snapshots --table demo.clicks --older-than 1s --retain-last 1 --force --dry-run
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/expire-dry-run.json"
run expire 0 expire-snapshots --table demo.clicks --older-than 1s --retain-last 1 --force --remove-orphans --orphan-older-than 1h
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/expire.json"
run sql-clicks-count 0 sql "SELECT count(*) AS rows_after_expiry FROM lake.demo.clicks"
head -n -1 "$LOGS/sql-clicks-count.out"

step "CDC: a table as a streaming upsert writer leaves it (equality deletes); health, then compact --rewrite-deletes"
run cdc-sample 0 sample-data --cdc --table demo.orders --rows 20000 --commits 30
said cdc-sample
amplification() {
  sed -n 's/.*"equality_delete_files":\([0-9]*\),"equality_delete_rows":\([0-9]*\),.*"read_amplification":\([0-9.]*\),.*/  '"$2"'equality-delete files: \1 (\2 rows); a full read touches \3 rows per live row/p' "$LOGS/$1.json"
}
run cdc-health 0 health --table demo.orders
amplification cdc-health "before: "
run cdc-compact 0 compact --table demo.orders --rewrite-deletes
said cdc-compact
run cdc-health-after 0 health --table demo.orders
amplification cdc-health-after "after:  "
run cdc-bad-mode 2 compact --table demo.orders --rewrite-deletes --equality-deletes sometimes
grep -m 1 -v ' INFO \| WARN ' "$LOGS/cdc-bad-mode.err"
# A version 3 table: its equality deletes converted to deletion vectors instead of rewriting the files.
run cdc-v3-sample 0 sample-data --cdc --table demo.orders_v3 --rows 20000 --commits 30 --format-version 3
run cdc-v3-convert 0 compact --table demo.orders_v3 --rewrite-deletes --equality-deletes convert
said cdc-v3-convert "v3, convert"

step "tier: the local S3 server, promote into an s3a:// table, then tier a year later"
scripts/s3-local.sh start
trap 'scripts/s3-local.sh stop >/dev/null' EXIT
S3=(--config "$ROOT/conf/local-s3.conf")
run s3-sample-data 0 sample-data --dataset user_events --start 2024-01-01 --days 3 --rows-per-day 1000 "${S3[@]}"
for day in 2024-01-01 2024-01-02 2024-01-03; do
  run "s3-promote-$day" 0 promote --dataset user_events --date "$day" "${S3[@]}"
done
run tier-dry-run 0 tier --dataset user_events --rule 30d=STANDARD_IA --rule 365d=GLACIER_IR --as-of 2025-01-02 --dry-run "${S3[@]}"
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/tier-dry-run.json"
sed -n 's/.*"monthly_cost_before":\([0-9.E-]*\),"monthly_cost_after":\([0-9.E-]*\),.*"one_off_request_cost":\([0-9.E-]*\).*/  projected monthly storage cost: $\1 -> $\2 (one-off copy requests: $\3)/p' "$LOGS/tier-dry-run.json"
sed -n 's/.*"warnings":\[\("[^"]*"\).*/  warning: \1/p' "$LOGS/tier-dry-run.json"
run tier 0 tier --all --as-of 2025-01-02 "${S3[@]}"   # every dataset with tiering.rules
sed -n 's/.*"duration_ms":[0-9]*,"message":"\([^"]*\)".*/  \1/p' "$LOGS/tier.json"
sed -n 's/.*"bytes_by_class_after":\({[^}]*}\).*/  bytes per class after: \1/p' "$LOGS/tier.json"
run s3-after-tier 0 sql "SELECT to_class, status, count(*) AS files, sum(bytes) AS bytes FROM lake.ops.tiering_log GROUP BY 1, 2" \
  "SELECT count(*) AS rows_still_readable FROM lake.curated.user_events" "${S3[@]}"
head -n -1 "$LOGS/s3-after-tier.out"
run tier-local 2 tier --table demo.clicks --rule 30d=STANDARD_IA
grep -m 1 -v ' INFO \| WARN ' "$LOGS/tier-local.err"

step "sql: the catalog"
run sql-namespaces 0 sql "SHOW NAMESPACES IN lake"
head -n -1 "$LOGS/sql-namespaces.out"

step "a bad input: an unknown dataset (exit 2, one line)"
run bad-dataset 2 sample-data --dataset clicks --start 2024-01-01
grep -m 1 -v ' INFO ' "$LOGS/bad-dataset.err"

step "secrets: none of the planted credentials appears in any report, log or output"
for secret in "${PLANTED[@]}"; do
  if grep -rlF -- "$secret" "$LOGS"; then
    echo "demo: the planted secret $secret leaked into the files above" >&2
    exit 1
  fi
done
echo "  $(ls "$LOGS" | wc -l) files checked for ${#PLANTED[@]} planted secrets: none found"

step "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "reports and logs: lakehouse-local/logs/"
