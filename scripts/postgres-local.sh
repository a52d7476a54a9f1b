#!/usr/bin/env bash
# Starts a PostgreSQL server on loopback for a server-backed Iceberg JDBC catalog: the
# concurrency tests use it (they create a fresh database per test JVM), and so can you, to try
# lakehouse-ops on the catalog a team would run. Installs Debian's postgresql when missing
# (needs root), starts its cluster, and creates the login role the tests use:
#   role lakehouse (password lakehouse, may create databases) on 127.0.0.1:${LAKEHOUSE_PG_PORT:-5432}
# Idempotent: a second run finds everything in place.
set -euo pipefail

port="${LAKEHOUSE_PG_PORT:-5432}"
role="${LAKEHOUSE_PG_USER:-lakehouse}"
password="${LAKEHOUSE_PG_PASSWORD:-lakehouse}"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -q
  # The package's own start attempt may fail where no init system runs; we start it below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main --port "$port"
fi
cluster_port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi

# The role, created or given its password again (as the postgres superuser, through the socket).
su postgres -c "psql -q -p $cluster_port -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SQL

echo "postgresql $version on 127.0.0.1:$cluster_port, role $role:" \
  "jdbc:postgresql://127.0.0.1:$cluster_port/postgres"
