#!/usr/bin/env bash
# plpgsql_check over every PL/pgSQL function of residency
# (test/lint/plpgsql_check.sql); exits non-zero on any error or warning.
#
#   test/lint/plpgsql_check.sh
#
# The upkeep functions (schedule_maintenance...) call pg_cron in dynamic SQL,
# which plpgsql_check checks like any other statement: the check therefore
# runs where pg_cron is installed, in a throwaway cluster of its own that
# preloads pg_cron (scripts/cluster.sh; RESIDENCY_LINT_CLUSTER_DIR), in a
# database that also has a Supabase-shaped auth.users, so that the sign-up
# trigger function is installed and checked against its table.
#
# Needs residency installed (make install), plpgsql_check and pg_cron
# (postgresql-15-plpgsql-check, postgresql-15-cron; scripts/setup.sh).
. "$(dirname "$0")/../../scripts/lib.sh"

db=residency_plpgsql_check
export RESIDENCY_CLUSTER_DIR=${RESIDENCY_LINT_CLUSTER_DIR:-/tmp/residency-lint-$$}
export RESIDENCY_PORT=${RESIDENCY_LINT_PORT:-54331}
export RESIDENCY_CLUSTER_CONF="shared_preload_libraries = 'pg_cron'
cron.database_name = '$db'"
cluster_env=$("$root/scripts/cluster.sh" start)
eval "$cluster_env"
trap '"$root/scripts/cluster.sh" stop' EXIT

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $db"
"${PSQL[@]}" -d "$db" \
    -c "SET client_min_messages = warning" \
    -c "CREATE SCHEMA auth" \
    -c "CREATE TABLE auth.users (id uuid PRIMARY KEY, email text)" \
    -c "CREATE EXTENSION pg_cron" \
    -c "CREATE EXTENSION residency" \
    -c "CREATE EXTENSION plpgsql_check"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$root/test/lint/plpgsql_check.sql"
