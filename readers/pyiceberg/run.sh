#!/usr/bin/env bash
# Runs read_tables.py with PyIceberg from PyPI, in a virtualenv made once per requirements
# file (keyed by its hash) under ${LAKEHOUSE_OPS_CACHE:-~/.cache/lakehouse-ops}.
# Usage: readers/pyiceberg/run.sh SPEC.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LAKEHOUSE_OPS_CACHE:-$HOME/.cache/lakehouse-ops}"
key="$(sha256sum "$here/requirements.txt" | cut -c1-16)"
venv="$cache/pyiceberg-$key"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
fi
exec "$venv/bin/python" "$here/read_tables.py" "$@"
