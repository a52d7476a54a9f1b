#!/usr/bin/env bash
# A local S3-compatible server for the demo: Adobe S3Mock (fetched by the Maven build into
# target/s3mock/) on 127.0.0.1:${LAKEHOUSE_S3_PORT:-9090}, with the bucket "lakehouse".
#   scripts/s3-local.sh start|stop|status
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${LAKEHOUSE_S3_PORT:-9090}
STATE="$ROOT/lakehouse-local/s3"
PID_FILE="$STATE/s3mock.pid"
JAR="$ROOT/target/s3mock/s3mock.jar"

ready() { curl -s -o /dev/null "http://127.0.0.1:$PORT/favicon.ico"; }

case "${1:-}" in
  start)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "s3-local: already running on port $PORT"; exit 0
    fi
    [ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q generate-test-resources >&2)
    mkdir -p "$STATE/data"
    COM_ADOBE_TESTING_S3MOCK_STORE_INITIAL_BUCKETS=lakehouse \
    COM_ADOBE_TESTING_S3MOCK_STORE_ROOT="$STATE/data" \
      nohup java -Xmx512m -jar "$JAR" --http.port="$PORT" --server.port=$((PORT + 1)) \
      >"$STATE/s3mock.log" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 90); do
      if ready; then echo "s3-local: S3 on http://127.0.0.1:$PORT, bucket lakehouse"; exit 0; fi
      sleep 1
    done
    echo "s3-local: the server did not answer in 90 s; see $STATE/s3mock.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$PID_FILE" ]; then kill "$(cat "$PID_FILE")" 2>/dev/null || true; rm -f "$PID_FILE"; fi
    echo "s3-local: stopped"
    ;;
  status)
    if ready; then echo "s3-local: running on port $PORT"; else echo "s3-local: not running"; exit 1; fi
    ;;
  *)
    echo "usage: scripts/s3-local.sh start|stop|status" >&2; exit 2
    ;;
esac
