#!/usr/bin/env bash
# The static Airflow checks, run by `mvn verify` (phase generate-test-resources) with no
# Airflow installed: Ruff's WebAssembly build from npm with the Airflow rules (AIR0, and AIR3
# for Airflow 3 compatibility), pyflakes and syntax errors, zero findings; and Ruff must still
# report the planted mistakes of broken_dags/. The DAGs under real Airflow: airflow/tests/run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHECKS="$ROOT/airflow/checks"
OUT="$ROOT/target/airflow"
mkdir -p "$OUT/tools"

cp "$CHECKS/package.json" "$CHECKS/package-lock.json" "$OUT/tools/"
npm ci --prefix "$OUT/tools" --no-audit --no-fund --loglevel=error >/dev/null
node "$CHECKS/ruff_lint.cjs" "$OUT/tools" "$ROOT/airflow/dags"
node "$CHECKS/ruff_lint.cjs" "$OUT/tools" "$ROOT/airflow/tests"
node "$CHECKS/ruff_lint.cjs" "$OUT/tools" "$CHECKS/broken_dags" >/dev/null 2>"$OUT/ruff-broken.err" || true
for expected in "airflow3-removal \`schedule_interval\`" "airflow3-suggested-update \`airflow.DAG\`"; do
  if ! grep -qF "$expected" "$OUT/ruff-broken.err"; then
    echo "airflow checks: ruff missed \"$expected\" in broken_dags/broken_dag.py" >&2
    exit 1
  fi
done
echo "airflow checks: passed (and Ruff caught the planted mistakes of broken_dags/)"
