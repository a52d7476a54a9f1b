#!/usr/bin/env bash
# The DAG tests under real Apache Airflow, 2.11 and 3.x (airflow/requirements/), called by
# `mvn verify` after the jar is built:
#   airflow/tests/run.sh [2] [3]      (default: both)
#   airflow/tests/run.sh --install    (only the virtualenvs: .ci/run starts it beside the build)
# Each version gets a virtualenv of its pinned requirements, cached under
# ${LAKEHOUSE_OPS_CACHE:-~/.cache/lakehouse-ops} by the file's hash, and a fresh AIRFLOW_HOME
# whose dags_folder the deployment guide (airflow/README.md) fills. A `spark-submit` on PATH
# runs Spark's real entry point through scripts/spark-submit-local.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${LAKEHOUSE_OPS_CACHE:-$HOME/.cache/lakehouse-ops}
OUT="$ROOT/target/airflow"
mkdir -p "$OUT" "$CACHE"

# The pinned requirements are wheels for CPython 3.11 and newer (numpy 2.4, pandas 3).
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "airflow tests: python3 is $(python3 --version 2>&1); the Airflow requirements need 3.11 or newer" >&2
  exit 2
fi

venv_for() {  # prints the virtualenv of requirements file $1, installing it once
  local requirements=$1 hash venv lock
  hash=$(sha256sum "$requirements" | cut -c1-16)
  venv="$CACHE/$(basename "$requirements" .txt)-$hash"
  # One install at a time: a run started while another installs waits for it, then uses it.
  exec {lock}>"$venv.lock"
  flock "$lock"
  if [ ! -f "$venv/.installed" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" >&2
    touch "$venv/.installed"
  fi
  exec {lock}>&-
  echo "$venv"
}

if [ "${1:-}" = "--install" ]; then
  for v in 2 3; do
    echo "airflow tests: Airflow $v's virtualenv is $(venv_for "$ROOT/airflow/requirements/airflow$v.txt")" >&2
  done
  exit 0
fi

shim="$OUT/bin"
mkdir -p "$shim"
printf '#!/bin/sh\n# spark-submit for the DAG tests: Spark from the Maven build.\nexec "%s/scripts/spark-submit-local" "$@"\n' \
  "$ROOT" >"$shim/spark-submit"
chmod +x "$shim/spark-submit"

status=0
for version in "${@:-2 3}"; do
  for v in $version; do
    venv=$(venv_for "$ROOT/airflow/requirements/airflow$v.txt")
    home=$(mktemp -d "${TMPDIR:-/tmp}/lakehouse-airflow$v.XXXXXX")
    echo "airflow tests: Airflow $("$venv/bin/python" -c 'import airflow; print(airflow.__version__)') in $home" >&2
    # One Fernet key for the test process and the guide's CLI calls, as for every process of a
    # deployment: Variables and connection extras are encrypted with it.
    fernet=$("$venv/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
    if ! env AIRFLOW_HOME="$home" AIRFLOW__CORE__DAGS_FOLDER="$home/dags" AIRFLOW__CORE__FERNET_KEY="$fernet" \
        AIRFLOW__CORE__LOAD_EXAMPLES=False PATH="$shim:$PATH" LAKEHOUSE_CDS="${LAKEHOUSE_CDS:-true}" \
        timeout 1800 "$venv/bin/python" -m pytest "$ROOT/airflow/tests" ${LAKEHOUSE_PYTEST_ARGS:-} -p no:cacheprovider -q -rfE \
        --basetemp="$home/pytest" --junitxml="$OUT/pytest-airflow$v.xml" -o junit_suite_name="airflow$v"; then
      status=1
      echo "airflow tests: Airflow $v failed; its AIRFLOW_HOME and logs are kept in $home" >&2
    else
      rm -rf "$home"
    fi
  done
done
exit "$status"
