#!/usr/bin/env bash
# The Airflow checks, run by `mvn verify` (phase generate-test-resources) with no Airflow
# installed: Ruff's Airflow rules through its WebAssembly build from npm, then check_dags.py
# (ast checks, loading against Airflow 2 and 3 stand-ins, Jinja2 rendering). It writes the
# rendered spark-submit calls to target/airflow/rendered-calls.json, which the jar's
# argument-contract test (AirflowDagContractTest) parses with the jar's own command line.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHECKS="$ROOT/airflow/checks"
OUT="$ROOT/target/airflow"
mkdir -p "$OUT/tools"

# 1. Ruff (AIR with preview, F, E9): zero findings.
cp "$CHECKS/package.json" "$CHECKS/package-lock.json" "$OUT/tools/"
npm ci --prefix "$OUT/tools" --no-audit --no-fund --loglevel=error >/dev/null
node "$CHECKS/ruff_lint.cjs" "$OUT/tools" "$ROOT/airflow/dags"
if node "$CHECKS/ruff_lint.cjs" "$OUT/tools" "$CHECKS/broken_dags" >/dev/null 2>"$OUT/ruff-broken.err" \
    || ! grep -q "airflow3-removal" "$OUT/ruff-broken.err"; then
  echo "airflow checks: ruff found no Airflow finding in broken_dags/broken_dag.py" >&2
  exit 1
fi

# 2. check_dags.py needs Jinja2: the first Python 3 that has it.
PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import jinja2' 2>/dev/null; then
    PYTHON=$candidate
    break
  fi
done
if [ -z "$PYTHON" ]; then
  echo "airflow checks: no python3 with jinja2; install it (Debian: apt-get install python3-jinja2)" >&2
  exit 1
fi
"$PYTHON" "$CHECKS/check_dags.py" "$ROOT/airflow/dags" "$OUT/rendered-calls.json"

# 3. The checker must still catch what it exists for: a DAG with known mistakes.
if "$PYTHON" "$CHECKS/check_dags.py" "$CHECKS/broken_dags" "$OUT/broken-calls.json" 2>"$OUT/broken.err" >/dev/null; then
  echo "airflow checks: check_dags.py passed broken_dags/broken_dag.py" >&2
  exit 1
fi
for expected in "must set schedule=" "must set catchup=" "no keyword 'executor_mem'" \
    "'schedule_interval' is removed" "'execution_date' is removed" "is not a string" "used twice"; do
  if ! grep -q -- "$expected" "$OUT/broken.err"; then
    echo "airflow checks: check_dags.py missed \"$expected\" in broken_dags/broken_dag.py" >&2
    exit 1
  fi
done
echo "airflow checks: passed (and check_dags.py caught every mistake of broken_dags/)"
