#!/usr/bin/env bash
# Scheduled upkeep under pg_cron (docs/operations.md, "Scheduled upkeep"), in
# a throwaway cluster of its own that preloads pg_cron:
#
#   1. database residency_cron holds pg_cron (cron.database_name) and residency
#      filled with rows in every state (test/dump/fixture.sql): a session
#      PROCESSING for two hours and others just started, expired and fresh
#      entitlement cache rows, a past_due subscription whose grace has ended;
#   2. a role like Supabase's postgres (not a superuser; a member of
#      service_role, USAGE on schema cron, EXECUTE granted by the owner) calls
#      residency.schedule_maintenance with schedules of every minute (every 2
#      seconds where pg_cron >= 1.5 takes seconds), twice: still one job each;
#   3. database residency_cron_other has residency but not pg_cron:
#      schedule_maintenance there answers 55000 naming the database that holds
#      pg_cron and cron.schedule_in_database, and the jobs of
#      residency.maintenance_jobs() are scheduled from residency_cron as that
#      hint says;
#   4. waits (bounded) until cron.job_run_details shows every job succeeded,
#      then checks the effects: the old session FAILED with its reason, the
#      others still PROCESSING; expired cache rows gone, fresh ones kept, in
#      both databases; the user whose grace ended LOCKED;
#   5. a NULL schedule unschedules one job, unschedule_maintenance the rest;
#   6. without the pg_cron extension, both functions answer 55000;
#   7. the systemd units of contrib/systemd, for machines without pg_cron,
#      run the same functions and pass systemd-analyze verify (skipped,
#      saying so, where systemd-analyze is missing).
#
#   test/cron/run.sh            (needs residency installed, and pg_cron:
#                                postgresql-15-cron, scripts/setup.sh)
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$root"

cron_db=residency_cron
other_db=residency_cron_other
export RESIDENCY_CLUSTER_DIR=${RESIDENCY_CRON_CLUSTER_DIR:-/tmp/residency-cron-$$}
export RESIDENCY_PORT=${RESIDENCY_CRON_PORT:-54333}
# pg_cron runs a job through a libpq connection to cron.host: the cluster's socket
export RESIDENCY_CLUSTER_CONF="shared_preload_libraries = 'pg_cron'
cron.database_name = '$cron_db'
cron.host = '$RESIDENCY_CLUSTER_DIR/sock'"

step "throwaway cluster with pg_cron preloaded ($RESIDENCY_CLUSTER_DIR)"
cluster_env=$(scripts/cluster.sh start)
eval "$cluster_env"
trap 'scripts/cluster.sh stop' EXIT

check() {  # what expected actual
    if [ "$2" = "$3" ]; then
        echo "  ok: $1"
    else
        printf 'FAIL: %s\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3" >&2
        fail=1
    fi
}
q() { "${PSQL[@]}" -d "$1" -c "$2"; }
# as the scheduling role, as Supabase's postgres would call it
as_admin() { "${PSQL[@]}" -U cron_admin -d "$cron_db" -c "$1"; }

step "set-up: $cron_db (pg_cron, residency, every state), $other_db (residency only)"
q postgres "CREATE DATABASE $cron_db"
q postgres "CREATE DATABASE $other_db"
q "$cron_db" "CREATE EXTENSION pg_cron"
"${PSQL[@]}" -d "$cron_db" -f test/dump/fixture.sql
cron_version=$(q "$cron_db" "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")
echo "pg_cron $cron_version"
# Two sessions of users 10 and 11 that just went PROCESSING, and the
# fixture's PROCESSING session, made two hours old: rule S3 lets only the
# transition set processing_started_at, so its timestamps are moved back with
# the rules standing aside, as a restore does (session_replication_role =
# replica, superuser).
q "$cron_db" "INSERT INTO residency.drill_sessions (id, user_id, question_id)
    VALUES ('00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000010', 'q1'),
           ('00000000-0000-0000-0000-000000000202', '00000000-0000-0000-0000-000000000011', 'q2');
    INSERT INTO residency.drill_responses (session_id, content)
    SELECT id, 'During my third-year rotation I noticed a dosing error and I paged the senior resident.'
    FROM residency.drill_sessions WHERE id IN ('00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000202');
    UPDATE residency.drill_sessions SET status = 'PROCESSING'
    WHERE id IN ('00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000202')" >/dev/null
stale=00000000-0000-0000-0000-000000000103
check "the fixture's session $stale is PROCESSING" PROCESSING \
    "$(q "$cron_db" "SELECT status FROM residency.drill_sessions WHERE id = '$stale'")"
q "$cron_db" "SET session_replication_role = replica;
    UPDATE residency.drill_sessions
    SET started_at = started_at - interval '2 hours', submitted_at = submitted_at - interval '2 hours',
        processing_started_at = processing_started_at - interval '2 hours'
    WHERE id = '$stale'" >/dev/null
fresh_processing=$(q "$cron_db" "SELECT count(*) FROM residency.drill_sessions WHERE status = 'PROCESSING' AND id <> '$stale'")
[ "$fresh_processing" -ge 2 ] || die "the fixture has $fresh_processing other PROCESSING sessions, expected at least 2"
# Cache rows of users 6, 7, 8 expired an hour ago; the others fresh.
expired="'00000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000007', '00000000-0000-0000-0000-000000000008'"
q "$cron_db" "UPDATE residency.entitlement_cache SET last_updated = last_updated - 7200, expires_at = expires_at - 7200
    WHERE user_id IN ($expired)" >/dev/null
fresh_cache=$(q "$cron_db" "SELECT count(*) FROM residency.entitlement_cache WHERE user_id NOT IN ($expired)")
[ "$fresh_cache" -ge 5 ] || die "only $fresh_cache fresh cache rows"
# User 5 (BASIC) by a subscription past_due whose grace ended a minute ago.
grace_user=00000000-0000-0000-0000-000000000005
q "$cron_db" "INSERT INTO residency.stripe_subscriptions
    (id, user_id, customer_id, status, entitlement_level, past_due_since, grace_until,
     last_event_id, last_event_created, last_event_type)
    VALUES ('sub_cron', '$grace_user', 'cus_cron', 'past_due', 'BASIC',
            extract(epoch FROM now())::bigint - 86400, extract(epoch FROM now())::bigint - 60,
            'evt_cron', extract(epoch FROM now())::bigint - 86400, 'customer.subscription.updated')" >/dev/null
# The other database: one user, its cache row expired.
q "$other_db" "SET client_min_messages = warning; CREATE EXTENSION residency"
q "$other_db" "INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000f1', 'other@example.org');
    UPDATE residency.entitlement_cache SET last_updated = last_updated - 7200, expires_at = expires_at - 7200" >/dev/null
# The scheduling role, shaped like Supabase's postgres.
q "$cron_db" "CREATE ROLE cron_admin LOGIN IN ROLE service_role;
    GRANT USAGE ON SCHEMA cron TO cron_admin;
    GRANT EXECUTE ON FUNCTION residency.schedule_maintenance(text, interval, text, text),
                              residency.unschedule_maintenance() TO cron_admin"

if [ "$(printf '%s\n' "$cron_version" 1.5 | sort -V | head -n1)" = 1.5 ]; then
    every="2 seconds"; wait_s=30
else
    every="* * * * *"; wait_s=90   # pg_cron < 1.5: a minute is the shortest schedule
fi

step "schedule_maintenance('$every'), twice, as cron_admin"
first=$(as_admin "SELECT job_name, schedule, command, jobid
    FROM residency.schedule_maintenance('$every', '30 minutes', '$every', '$every')")
echo "$first"
check "three jobs scheduled" 3 "$(wc -l <<<"$first")"
check "the jobs and their commands" \
"residency:$cron_db:fail_stale_processing|$every|SET ROLE service_role; SELECT residency.fail_stale_processing('PT30M'::interval)
residency:$cron_db:purge_expired_entitlement_cache|$every|SET ROLE service_role; SELECT residency.purge_expired_entitlement_cache()
residency:$cron_db:stripe_expire_grace|$every|SET ROLE service_role; SELECT residency.stripe_expire_grace()" \
    "$(cut -d'|' -f1-3 <<<"$first")"
second=$(as_admin "SELECT job_name, schedule, command, jobid
    FROM residency.schedule_maintenance('$every', '30 minutes', '$every', '$every')")
check "a second call replaces the jobs (same ids)" "$first" "$second"
check "cron.job holds one job each, in $cron_db, as cron_admin" \
    "3|3|$cron_db|cron_admin" \
    "$(q "$cron_db" "SELECT count(*), count(DISTINCT jobname), min(database), min(username) FROM cron.job
        WHERE jobname LIKE 'residency:$cron_db:%'")"

step "$other_db has no pg_cron: the error, then its hint followed"
expect_error "$other_db" 55000 "schedule_maintenance where pg_cron is another database's" \
    "SELECT * FROM residency.schedule_maintenance()"
expect_error "$other_db" 55000 "unschedule_maintenance where pg_cron is another database's" \
    "SELECT * FROM residency.unschedule_maintenance()"
hint=$("${PSQL[@]}" -d "$other_db" -c "SELECT residency.schedule_maintenance()" 2>&1 | grep '^HINT' || true)
check "the hint names $cron_db and cron.schedule_in_database" yes \
    "$(grep -q "In database $cron_db, .*cron.schedule_in_database(.*'$other_db')" <<<"$hint" && echo yes || echo "no: $hint")"
"${PSQL[@]}" -d "$other_db" -F $'\t' -c "SELECT job_name, schedule, command
    FROM residency.maintenance_jobs('$every', '30 minutes', '$every', '$every')" |
while IFS=$'\t' read -r name schedule command; do
    "${PSQL[@]}" -d "$cron_db" -v name="$name" -v schedule="$schedule" -v command="$command" -v db="$other_db" \
        <<<"SELECT cron.schedule_in_database(:'name', :'schedule', :'command', :'db')" >/dev/null
done
check "three jobs for $other_db" 3 \
    "$(q "$cron_db" "SELECT count(*) FROM cron.job WHERE database = '$other_db' AND jobname LIKE 'residency:$other_db:%'")"

step "waiting (at most $wait_s s) for every job to run"
succeeded=0
for ((t = 0; t < wait_s; t += 2)); do
    failed=$(q "$cron_db" "SELECT j.jobname || ': ' || d.return_message FROM cron.job_run_details AS d
        JOIN cron.job AS j USING (jobid) WHERE d.status = 'failed'")
    [ -z "$failed" ] || { echo "FAIL: a job failed: $failed" >&2; fail=1; break; }
    succeeded=$(q "$cron_db" "SELECT count(DISTINCT jobid) FROM cron.job_run_details AS d
        JOIN cron.job AS j USING (jobid) WHERE d.status = 'succeeded' AND j.jobname LIKE 'residency:%'")
    [ "$succeeded" -lt 6 ] || break
    sleep 2
done
echo "after ${t} s"
check "the six jobs succeeded" 6 "$succeeded"
q "$cron_db" "SELECT j.jobname, d.database, d.username, d.status, d.return_message FROM cron.job_run_details AS d
    JOIN cron.job AS j USING (jobid) ORDER BY j.jobname, d.runid LIMIT 12"

step "the effects"
check "the session PROCESSING for two hours failed, with its reason" \
    "FAILED|processing took longer than 1800 seconds" \
    "$(q "$cron_db" "SELECT status, metadata ->> 'failure_reason' FROM residency.drill_sessions WHERE id = '$stale'")"
check "the fresh PROCESSING sessions are untouched" "$fresh_processing" \
    "$(q "$cron_db" "SELECT count(*) FROM residency.drill_sessions WHERE status = 'PROCESSING'")"
check "the expired cache rows are gone" 0 \
    "$(q "$cron_db" "SELECT count(*) FROM residency.entitlement_cache WHERE user_id IN ($expired)")"
check "the fresh cache rows are kept" "$fresh_cache" \
    "$(q "$cron_db" "SELECT count(*) FROM residency.entitlement_cache WHERE user_id NOT IN ($expired)")"
check "a purged row is rebuilt on demand (rule C1)" "BASIC
1" \
    "$("${PSQL[@]}" -d "$cron_db" -c "SELECT residency.current_entitlement('00000000-0000-0000-0000-000000000006')" \
        -c "SELECT count(*) FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-000000000006'")"
check "the user whose grace ended is LOCKED" "LOCKED|LOCKED" \
    "$(q "$cron_db" "SELECT u.entitlement_level, s.entitlement_level FROM residency.users AS u
        JOIN residency.stripe_subscriptions AS s ON s.user_id = u.id WHERE u.id = '$grace_user'")"
check "$other_db: its expired cache row is gone" 0 \
    "$(q "$other_db" "SELECT count(*) FROM residency.entitlement_cache")"

step "unscheduling"
check "a NULL schedule unschedules that job" \
    "residency:$cron_db:fail_stale_processing
residency:$cron_db:stripe_expire_grace" \
    "$(as_admin "SELECT job_name FROM residency.schedule_maintenance('$every', '30 minutes', NULL, '$every')")"
check "two jobs left" 2 "$(q "$cron_db" "SELECT count(*) FROM cron.job WHERE jobname LIKE 'residency:$cron_db:%'")"
check "unschedule_maintenance returns them" \
    "residency:$cron_db:fail_stale_processing
residency:$cron_db:stripe_expire_grace" \
    "$(as_admin "SELECT job_name FROM residency.unschedule_maintenance() ORDER BY 1")"
check "no job of $cron_db left; $other_db's untouched" "0|3" \
    "$(q "$cron_db" "SELECT count(*) FILTER (WHERE database = '$cron_db'), count(*) FILTER (WHERE database = '$other_db')
        FROM cron.job WHERE jobname LIKE 'residency:%'")"
check "unscheduling again unschedules nothing" "" "$(as_admin "SELECT * FROM residency.unschedule_maintenance()")"
q "$cron_db" "SELECT cron.unschedule(jobid) FROM cron.job WHERE database = '$other_db'" >/dev/null

step "without the pg_cron extension"
q "$cron_db" "DROP EXTENSION pg_cron"
expect_error "$cron_db" 55000 "schedule_maintenance without pg_cron" "SELECT * FROM residency.schedule_maintenance()"
expect_error "$cron_db" 55000 "unschedule_maintenance without pg_cron" "SELECT * FROM residency.unschedule_maintenance()"

step "without pg_cron: the systemd units (contrib/systemd) parse and run the same functions"
for fn in fail_stale_processing purge_expired_entitlement_cache stripe_expire_grace; do
    check "residency-upkeep.service runs residency.$fn" 1 \
        "$(grep -c "^ExecStart=.*SET ROLE service_role.*SELECT residency\.$fn(" contrib/systemd/residency-upkeep.service)"
done
if command -v systemd-analyze >/dev/null; then
    # a unit systemd refuses exits non-zero; a setting it ignores only warns
    if verify=$(cd contrib/systemd && systemd-analyze verify ./residency-upkeep.service ./residency-upkeep.timer 2>&1) &&
        [ -z "$verify" ]; then
        echo "  ok: systemd-analyze verify residency-upkeep.service residency-upkeep.timer"
    else
        printf 'FAIL: systemd-analyze verify:\n%s\n' "$verify" >&2
        fail=1
    fi
else
    echo "  skipped: systemd-analyze is not installed (the units are not verified)"
fi

if [ "$fail" -ne 0 ]; then
    echo "---- server log (last 50 lines)"
    tail -n 50 "$RESIDENCY_SERVER_LOG"
    die "the scheduled upkeep test failed"
fi
step "scheduled upkeep under pg_cron: all checks passed"
