#!/usr/bin/env bash
# The RLS / grants security matrix (pgTAP, docs/data-model.md) against a
# fresh database: creates residency_pgtap, installs pgtap, residency and the
# test-only residency_test (the tests' PostgREST helper, as_postgrest), runs
# every test/pgtap/*.sql with pg_prove, and drops the database again.
#
#   eval "$(scripts/cluster.sh env)"; test/pgtap/run.sh [pg_prove options, e.g. -v]
#
# Connects with PGHOST/PGPORT/PGUSER from the environment (a role that may
# create databases and extensions). Needs pgTAP (postgresql-15-pgtap, with
# pg_prove), the residency extension installed (make install) and the test
# modules (make install-test-modules). Exits non-zero when a test fails or
# the set-up does.
. "$(dirname "$0")/../../scripts/lib.sh"

here=$root/test/pgtap
db=${RESIDENCY_PGTAP_DB:-residency_pgtap}
maintenance_db=${RESIDENCY_PGTAP_MAINTENANCE_DB:-postgres}
[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "run.sh: bad database name: $db" >&2; exit 2; }

admin() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" "${PSQL[@]}" --dbname="$maintenance_db" "$@"; }

cleanup() { admin -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; }
trap cleanup EXIT

admin -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
"${PSQL[@]}" --dbname="$db" \
    -c "SET client_min_messages = warning" \
    -c "CREATE EXTENSION pgtap" \
    -c "CREATE EXTENSION residency" \
    -c "CREATE EXTENSION residency_test"

cd "$here"   # the tests include helpers.psql relative to themselves
pg_prove --dbname="$db" "$@" ./*.sql
